using System.Diagnostics;

namespace ProcessPool.Tests.Support;

internal static class Signals
{
    public const string Interrupt = "INT";

    /// <summary>Sends a signal with the system's <c>kill</c> command, as a terminal or a user would.</summary>
    public static void Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}

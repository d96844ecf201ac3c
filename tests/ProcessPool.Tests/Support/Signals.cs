using System.Diagnostics;

namespace ProcessPool.Tests.Support;

internal static class Signals
{
    public const string Interrupt = "INT";

    /// <summary>Sends a signal with the system's <c>kill</c> command, as a user would.</summary>
    public static void Send(int pid, string signal) => Kill("-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Sends a signal to every process of a process group, as a terminal sends Ctrl-C to its foreground job.</summary>
    public static void SendToGroup(int processGroup, string signal) => Kill("-" + signal, "--", "-" + processGroup.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void Kill(params string[] arguments)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", arguments) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}

using System.Diagnostics;

namespace ProcessPool.Workers;

internal static class ProcessExtensions
{
    /// <summary>
    /// Waits, within a bound, for the process to exit and for its redirected output to reach its end
    /// (so a crash report written just before dying is in the stderr tail).
    /// </summary>
    public static bool WaitForExitAndOutput(this Process process, TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }

        // The output may be held open by a process the worker started; give it a moment only.
        using var cts = new CancellationTokenSource(OutputGracePeriod);
        try
        {
            process.WaitForExitAsync(cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // exited; its output just did not close in time
        }

        return true;
    }

    private static readonly TimeSpan OutputGracePeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>Ends the process and anything it started; a process that never started or is already gone is fine.</summary>
    public static void KillTree(this Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // never started, or already gone
        }
    }

    /// <summary>The signal that ended the process, from the runtime's 128 + signal exit code convention on Unix.</summary>
    public static (int? ExitCode, int? Signal) ExitStatus(this Process process)
    {
        if (!process.HasExited)
        {
            return (null, null);
        }

        int code = process.ExitCode;
        return !OperatingSystem.IsWindows() && code > 128 && code < 128 + 65 ? (null, code - 128) : (code, null);
    }
}

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
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            process.WaitForExitAsync(cts.Token).GetAwaiter().GetResult();
            return true;
        }
        catch (OperationCanceledException)
        {
            return process.HasExited;
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

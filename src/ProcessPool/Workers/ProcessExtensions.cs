using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ProcessPool.Workers;

internal static partial class ProcessExtensions
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private static readonly TimeSpan OutputGracePeriod = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits, within a bound, for the process to exit and for its redirected output to reach its end
    /// (so a crash report written just before dying is in the stderr tail). With
    /// <paramref name="killGroup"/>, kills the process group the worker led (<see cref="KillGroup"/>) as
    /// soon as it has exited: its descendants, which may be holding that output open.
    /// </summary>
    public static bool WaitForExitAndOutput(this Process process, TimeSpan timeout, bool killGroup = false)
    {
        if (!process.WaitForExit(timeout))
        {
            return false;
        }

        if (killGroup)
        {
            process.KillGroup();
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

    /// <summary>
    /// SIGKILLs the process group a worker made itself the leader of (Linux; see
    /// <c>WorkerHost.Descendants</c>): its descendants, which stay in it unless they leave it. The group
    /// keeps the worker's pid as its id while it has members, even after the worker is gone, so the pid
    /// cannot have been reused by then; a worker that never made the group leaves nothing to signal.
    /// </summary>
    public static void KillGroup(this Process process)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // Only a group that has members: those pin its id, so it cannot be a new process's by now
            // (the worker itself has been reaped, and its pid alone could be reused).
            if (GroupHasMembers(process.Id))
            {
                _ = SendSignal(-process.Id, SigKill);
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
    }

    /// <summary>Whether some process is in process group <paramref name="groupId"/> (field 5 of <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    private static bool GroupHasMembers(int groupId)
    {
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 4); // state, ppid, pgrp, ...
                if (fields.Length > 2 && int.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out int group) && group == groupId)
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // gone while we looked
            }
        }

        return false;
    }

    /// <summary>Sends SIGTERM (on Windows, which has none, kills the tree).</summary>
    public static void Terminate(this Process process)
    {
        if (OperatingSystem.IsWindows())
        {
            process.KillTree();
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                _ = SendSignal(process.Id, SigTerm); // fails only if it is already gone
            }
        }
        catch (InvalidOperationException)
        {
            // never started
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

    /// <summary>Resident memory of a live process in bytes, or 0 when it cannot be read.</summary>
    public static long ResidentBytes(this Process process)
    {
        if (OperatingSystem.IsLinux())
        {
            // /proc/<pid>/statm: "size resident shared ..." in pages; cheaper than Process.Refresh().
            Span<byte> buffer = stackalloc byte[128];
            try
            {
                using var handle = File.OpenHandle($"/proc/{process.Id}/statm");
                int read = RandomAccess.Read(handle, buffer, 0);
                var fields = System.Text.Encoding.ASCII.GetString(buffer[..read]).Split(' ');
                return fields.Length > 1 && long.TryParse(fields[1], System.Globalization.CultureInfo.InvariantCulture, out long pages)
                    ? pages * Environment.SystemPageSize
                    : 0;
            }
            catch (IOException)
            {
                return 0; // it has just exited
            }
        }

        try
        {
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SendSignal(int pid, int signal);
}

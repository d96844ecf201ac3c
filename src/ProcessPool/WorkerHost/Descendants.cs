using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// The worker's hold on the processes its calls start, and theirs (Linux). At start the worker leads a
/// process group of its own, which its descendants join by default and stay in when their own parent
/// exits (an orphan goes to init, but keeps its group). The parent kills the group whenever it sees the
/// worker exit; the worker kills it itself when it leaves because the parent is gone. See
/// <see cref="ProcessPoolOptions.KillWorkerDescendants"/>. (The worker is deliberately not a child
/// subreaper: it would have to reap the orphans it adopted, and no sweep can tell those from children
/// native code started and will wait for, whose exit status it would steal.)
/// </summary>
internal static partial class Descendants
{
    private const int SigKill = 9;

    /// <summary>Whether this worker leads its own process group (its descendants' unless they left it).</summary>
    public static bool Owned { get; private set; }

    /// <summary>Makes the worker the leader of a new process group. Call before anything starts a process.</summary>
    public static void Adopt()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // elsewhere the pool's kill paths still end the worker's process tree
        }

        // A group of its own also takes the worker out of the terminal's foreground group: Ctrl-C reaches
        // only the parent, which decides (it already did: workers ignore SIGINT).
        Owned = SetProcessGroup(0, 0) == 0 && GetProcessGroup() == Environment.ProcessId;
    }

    /// <summary>SIGKILLs the worker's group, the worker included: for a worker that is leaving anyway.</summary>
    public static void KillAll()
    {
        // The group must be ours: a worker still in its parent's group must never signal that one.
        if (Owned && GetProcessGroup() == Environment.ProcessId)
        {
            _ = Kill(-Environment.ProcessId, SigKill);
        }
    }

    [LibraryImport("libc", EntryPoint = "setpgid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetProcessGroup(int pid, int pgid);

    [LibraryImport("libc", EntryPoint = "getpgrp")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int GetProcessGroup();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int Kill(int pid, int signal);
}

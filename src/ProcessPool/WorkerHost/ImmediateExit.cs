using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Ends the worker process at once, without running exit handlers: used when the parent is gone. User
/// code may have registered a ProcessExit handler that blocks (or is busy on every core), and a worker
/// must never outlive its parent because of it.
/// </summary>
internal static partial class ImmediateExit
{
    /// <summary>Exits now; with <paramref name="withDescendants"/>, kills the processes the worker holds too (<see cref="Descendants"/>).</summary>
    /// <param name="exitCode">The exit code, for a parent that is still there to read it.</param>
    /// <param name="withDescendants">
    /// True when the parent is gone, and with it the one who would kill them on seeing this exit; then the
    /// worker dies of that SIGKILL, with its group, and the exit code is not used.
    /// </param>
    public static void Now(int exitCode, bool withDescendants)
    {
        if (withDescendants)
        {
            Descendants.KillAll();
        }

        if (!OperatingSystem.IsWindows())
        {
            Exit(exitCode);
        }

        Environment.Exit(exitCode);
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial void Exit(int status);
}

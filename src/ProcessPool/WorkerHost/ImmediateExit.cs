using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Ends the worker process at once, without running exit handlers: used when the parent is gone. User
/// code may have registered a ProcessExit handler that blocks (or is busy on every core), and a worker
/// must never outlive its parent because of it.
/// </summary>
internal static partial class ImmediateExit
{
    public static void Now(int exitCode)
    {
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

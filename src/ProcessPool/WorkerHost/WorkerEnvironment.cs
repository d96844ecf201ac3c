using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Sets and removes the variables that make a process a worker, in .NET's copy of the environment and
/// in the C library's, which is what native code reads and what processes started by native code
/// (<c>posix_spawn</c>, an embedded runtime) inherit: a .NET program started that way must not find
/// <c>DOTNET_STARTUP_HOOKS=ProcessPool</c> or a worker's endpoint and token. Called only while the
/// worker starts, before any of the app's code runs.
/// </summary>
internal static partial class WorkerEnvironment
{
    public static void Set(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows())
        {
            return; // .NET's copy is the process's there
        }

        _ = value is null ? UnsetNative(name) : SetNative(name, value, 1);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int SetNative(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int UnsetNative(string name);
}

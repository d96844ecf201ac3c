using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ProcessPool.Tests.Functions;

/// <summary>Tasks that start processes of their own and leave them running: what a worker's descendants are.</summary>
public static class Children
{
    /// <summary>Starts <c>sleep</c> as a child of the worker (sharing its output) and returns its pid without waiting for it.</summary>
    public static int StartSleep(int seconds)
    {
        using var sleep = Process.Start(new ProcessStartInfo("sleep", seconds.ToString(CultureInfo.InvariantCulture)) { UseShellExecute = false })!;
        return sleep.Id;
    }

    /// <summary>Starts <c>sleep</c> from a shell that exits at once, leaving it an orphan; returns its pid.</summary>
    public static int StartOrphanSleep(int seconds)
    {
        var info = new ProcessStartInfo("sh", ["-c", $"sleep {seconds} </dev/null >/dev/null 2>&1 & echo $!"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var shell = Process.Start(info)!;
        string pid = shell.StandardOutput.ReadLine()!;
        shell.WaitForExit();
        return int.Parse(pid, CultureInfo.InvariantCulture);
    }

    /// <summary>Starts an orphan <c>sleep</c>, writes its pid to <paramref name="pidFile"/>, then spins for ever ignoring any token.</summary>
    public static int StartOrphanSleepThenSpin(string pidFile)
    {
        File.WriteAllText(pidFile, StartOrphanSleep(300).ToString(CultureInfo.InvariantCulture));
        while (true)
        {
            Thread.SpinWait(100);
        }
    }

    /// <summary>Starts a <c>sleep</c> child, writes its pid to <paramref name="pidFile"/>, then crashes the worker.</summary>
    public static int StartSleepThenCrash(string pidFile)
    {
        File.WriteAllText(pidFile, StartSleep(300).ToString(CultureInfo.InvariantCulture));
        Environment.FailFast("crashing with a child running");
        return 0;
    }
}

/// <summary>What native code in a task sees: processes it starts and waits for itself, and the environment below .NET's.</summary>
public static unsafe partial class NativeChildren
{
    /// <summary>
    /// Starts <c>sh -c "exit 7"</c> with <c>posix_spawnp</c>, as native libraries and embedded runtimes do,
    /// lets it end, waits <paramref name="delayMs"/>, then collects it with <c>waitpid</c>: returns its exit
    /// code, or -1 when something else took it first.
    /// </summary>
    public static int SpawnExitSevenAndCollect(int delayMs)
    {
        nint[] strings = [Marshal.StringToCoTaskMemUTF8("sh"), Marshal.StringToCoTaskMemUTF8("-c"), Marshal.StringToCoTaskMemUTF8("exit 7"), Marshal.StringToCoTaskMemUTF8("PATH=/usr/bin:/bin")];
        try
        {
            nint* argv = stackalloc nint[] { strings[0], strings[1], strings[2], 0 };
            nint* envp = stackalloc nint[] { strings[3], 0 };
            if (PosixSpawnP(out int pid, "sh", 0, 0, argv, envp) != 0)
            {
                return -2;
            }

            Thread.Sleep(delayMs);
            return WaitPid(pid, out int status, 0) == pid ? (status >> 8) & 0xff : -1;
        }
        finally
        {
            foreach (nint s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
        }
    }

    /// <summary>The variable as native code (and any process it starts) sees it; null when unset.</summary>
    public static string? NativeVariable(string name) => GetEnv(name) is var value and not 0 ? Marshal.PtrToStringUTF8(value) : null;

    [LibraryImport("libc", EntryPoint = "posix_spawnp")]
    private static partial int PosixSpawnP(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string file, nint fileActions, nint attributes, nint* argv, nint* envp);

    [LibraryImport("libc", EntryPoint = "waitpid")]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "getenv")]
    private static partial nint GetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}

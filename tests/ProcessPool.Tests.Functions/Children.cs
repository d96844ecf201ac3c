using System.Diagnostics;
using System.Globalization;

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

    /// <summary>Starts <paramref name="count"/> orphans that exit after a second; returns how many children the worker has then.</summary>
    public static int StartShortLivedOrphans(int count)
    {
        for (int i = 0; i < count; i++)
        {
            StartOrphanSleep(1);
        }

        return CountChildren(0);
    }

    /// <summary>The worker's child processes, exited but not waited for (zombies) included.</summary>
    public static int CountChildren(int ignored) =>
        Directory.EnumerateDirectories("/proc/self/task")
            .Sum(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
}

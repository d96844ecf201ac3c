using System.Diagnostics;

namespace ProcessPool.Tests.Support;

internal static class Processes
{
    /// <summary>True while <paramref name="pid"/> is a running (not zombie) process.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            char state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits until none of the processes is alive, or the deadline passes. A process that is not our
    /// child cannot be awaited (and may stay a zombie), so this polls /proc: the one place the tests poll.
    /// </summary>
    public static async Task<bool> WaitUntilGoneAsync(IEnumerable<int> pids, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        var remaining = pids.ToList();
        while (true)
        {
            remaining.RemoveAll(pid => !IsAlive(pid));
            if (remaining.Count == 0)
            {
                return true;
            }

            if (watch.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Runs a program of the tests' (the Host) with `dotnet exec`, capturing its output.</summary>
    public static Process StartHost(params string[] arguments) => StartHost(inOwnSession: false, arguments);

    /// <summary>
    /// Runs the Host; <paramref name="inOwnSession"/> starts it with <c>setsid</c>, as the leader of a
    /// session and process group of its own, like a job in a terminal: a test can then signal the
    /// whole group as a terminal's Ctrl-C does.
    /// </summary>
    public static Process StartHost(bool inOwnSession, params string[] arguments)
    {
        string dir = AppContext.BaseDirectory;
        var info = new ProcessStartInfo(inOwnSession ? "setsid" : DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (inOwnSession)
        {
            info.ArgumentList.Add(DotnetPath()); // setsid execs it in place: same pid, which is the group's id
        }

        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(System.IO.Path.Combine(dir, "ProcessPool.Tests.Host.dll"));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    public static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}

using System.Runtime.InteropServices;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Waits for the orphans a subreaper worker adopts, once they exit. An exited process stays a zombie
/// (holding its pid) until its parent waits for it, and .NET waits only for the processes it started:
/// it does so at once, on SIGCHLD. A child of the worker still a zombie at two sweeps a second apart is
/// one nobody will wait for, so it is reaped here, by pid, never with a wildcard that could take the
/// exit status of a process .NET or user code is waiting for. Sweeps run only after a SIGCHLD, while
/// zombies remain.
/// </summary>
internal static partial class OrphanReaper
{
    private const int WNoHang = 1;
    private static readonly TimeSpan SweepDelay = TimeSpan.FromSeconds(1);
    private static readonly Lock s_sweeping = new();
    private static Timer? s_timer;
    private static PosixSignalRegistration? s_childExited;
    private static HashSet<int> s_zombies = [];
    private static int s_armed;

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public static void Start()
    {
        s_timer = new Timer(static _ => Sweep(), null, Timeout.Infinite, Timeout.Infinite);
        s_childExited = PosixSignalRegistration.Create(PosixSignal.SIGCHLD, static _ => Arm());
    }

    private static void Arm()
    {
        if (Interlocked.Exchange(ref s_armed, 1) == 0)
        {
            s_timer!.Change(SweepDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private static void Sweep()
    {
        lock (s_sweeping)
        {
            Volatile.Write(ref s_armed, 0); // a SIGCHLD from now on asks for another sweep
            var zombies = ZombieChildren();
            foreach (int pid in zombies.Where(s_zombies.Contains).ToList())
            {
                if (WaitForExit(pid, out _, WNoHang) == pid)
                {
                    zombies.Remove(pid);
                }
            }

            s_zombies = zombies;
            if (zombies.Count > 0)
            {
                Arm(); // those seen for the first time are reaped at the next sweep, if still there
            }
        }
    }

    /// <summary>The worker's children that have exited and not been waited for, from /proc.</summary>
    private static HashSet<int> ZombieChildren()
    {
        var zombies = new HashSet<int>();
        try
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                foreach (string child in ReadOrEmpty(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string stat = ReadOrEmpty($"/proc/{child}/stat");
                    int state = stat.LastIndexOf(')') + 2;
                    if (state > 1 && state < stat.Length && stat[state] == 'Z' && int.TryParse(child, out int pid))
                    {
                        zombies.Add(pid);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // /proc is not what it should be: leave the zombies to the worker's exit
        }

        return zombies;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ""; // a thread or process that has just gone
        }
    }

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static partial int WaitForExit(int pid, out int status, int options);
}

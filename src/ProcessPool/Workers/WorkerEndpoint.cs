using System.Security.Cryptography;
using ProcessPool.Serialization;

namespace ProcessPool.Workers;

/// <summary>
/// The pool's private rendezvous: a directory only this user can enter (0700), one Unix socket per
/// starting worker inside it, and a random token each worker must present at the handshake.
/// </summary>
internal sealed class WorkerEndpoint : IDisposable
{
    private const string Prefix = "pp-";

    public WorkerEndpoint()
    {
        Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        RemoveLeftovers(Root);
        string name = $"{Prefix}{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant()}";
        Directory = OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(Path.Combine(Root, name)).FullName
            : System.IO.Directory.CreateDirectory(Path.Combine(Root, name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        SharedMemory.Register(Directory, asParent: true);
        Segments = new SegmentPool(Directory, SegmentNames.Parent, inWorker: false);
    }

    /// <summary>
    /// Where pools make their directories: /dev/shm where this user can write to it (a RAM file
    /// system, so the shared-memory arrays in it never touch a disk), else the temp directory.
    /// </summary>
    public static string Root { get; } = OperatingSystem.IsWindows() ? Path.GetTempPath() : CanWriteTo("/dev/shm") ? "/dev/shm" : ShortTempRoot();

    public string Token { get; }

    public string Directory { get; }

    /// <summary>The parent's shared-memory segments in <see cref="Directory"/>.</summary>
    public SegmentPool Segments { get; }

    public string SocketPath(int workerId) => Path.Combine(Directory, $"w{workerId}.sock");

    public void Dispose()
    {
        Segments.Dispose();
        SharedMemory.Unregister(Directory);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the OS cleans its temp directory
        }
    }

    /// <summary>A parent killed with SIGKILL cannot remove its directory; the next pool on the machine does.</summary>
    private static void RemoveLeftovers(string root)
    {
        IEnumerable<string> candidates;
        try
        {
            candidates = System.IO.Directory.EnumerateDirectories(root, Prefix + "*-*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string dir in candidates)
        {
            string name = Path.GetFileName(dir);
            int dash = name.IndexOf('-', Prefix.Length);
            if (dash > Prefix.Length && int.TryParse(name.AsSpan(Prefix.Length, dash - Prefix.Length), out int pid) && !IsRunning(pid))
            {
                try
                {
                    System.IO.Directory.Delete(dir, recursive: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // another user's, or already gone: best effort
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool CanWriteTo(string root)
    {
        if (!System.IO.Directory.Exists(root))
        {
            return false;
        }

        string probe = Path.Combine(root, $"{Prefix}probe-{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            System.IO.Directory.CreateDirectory(probe);
            System.IO.Directory.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Unix socket paths are limited to ~100 bytes; a long TMPDIR would not fit.
    private static string ShortTempRoot()
    {
        string temp = Path.GetTempPath();
        return temp.Length <= 60 ? temp : "/tmp";
    }
}

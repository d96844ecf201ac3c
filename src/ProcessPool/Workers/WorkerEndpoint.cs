using System.Security.Cryptography;

namespace ProcessPool.Workers;

/// <summary>
/// The pool's private rendezvous: a directory only this user can enter (0700), one Unix socket per
/// starting worker inside it, and a random token each worker must present at the handshake.
/// </summary>
internal sealed class WorkerEndpoint : IDisposable
{
    public WorkerEndpoint()
    {
        Token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        string name = "pp-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        Directory = OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), name)).FullName
            : System.IO.Directory.CreateDirectory(Path.Combine(ShortTempRoot(), name), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
    }

    public string Token { get; }

    public string Directory { get; }

    public string SocketPath(int workerId) => Path.Combine(Directory, $"w{workerId}.sock");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the OS cleans its temp directory
        }
    }

    // Unix socket paths are limited to ~100 bytes; a long TMPDIR would not fit.
    private static string ShortTempRoot()
    {
        string temp = Path.GetTempPath();
        return temp.Length <= 60 ? temp : "/tmp";
    }
}

using System.Net.Sockets;

namespace ProcessPool.Tests.Support;

/// <summary>
/// The test's end of <see cref="Functions.Signal"/>: a Unix socket that worker functions connect to
/// when they start, and that releases them when the test says so. Lets tests wait for "the task is
/// running in its worker" as an event, across processes, without sleeping.
/// </summary>
internal sealed class TestSignal : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pp-test-").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<Socket> _connections = [];

    public TestSignal()
    {
        Path = System.IO.Path.Combine(_directory, "s");
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(16);
    }

    public string Path { get; }

    /// <summary>Waits for the next worker function to start; returns its process id.</summary>
    public async Task<int> WaitForStartAsync()
    {
        var connection = await _listener.AcceptAsync().Within();
        lock (_connections)
        {
            _connections.Add(connection);
        }

        var pid = new byte[4];
        await connection.ReceiveAsync(pid.AsMemory()).AsTask().Within();
        return BitConverter.ToInt32(pid);
    }

    /// <summary>How many functions have connected so far, without waiting for more.</summary>
    public int CountStarted()
    {
        _listener.Blocking = false;
        try
        {
            while (true)
            {
                var connection = _listener.Accept();
                lock (_connections)
                {
                    _connections.Add(connection);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
        {
            lock (_connections)
            {
                return _connections.Count;
            }
        }
        finally
        {
            _listener.Blocking = true;
        }
    }

    /// <summary>Lets every function that has started (and not been released before) go on.</summary>
    public void ReleaseAll()
    {
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Send(new byte[1]);
                connection.Dispose();
            }

            _connections.Clear();
        }
    }

    public void Dispose()
    {
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }

        _listener.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

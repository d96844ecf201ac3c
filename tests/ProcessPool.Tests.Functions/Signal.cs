using System.Net.Sockets;

namespace ProcessPool.Tests.Functions;

/// <summary>
/// The worker's end of a test signal: connecting tells the test "started" (and sends the pid);
/// <see cref="WaitForRelease"/> blocks until the test sends a byte or closes its end.
/// Synchronises on events across processes, never on time.
/// </summary>
public sealed class Signal : IDisposable
{
    private readonly Socket _socket;

    private Signal(Socket socket) => _socket = socket;

    public static Signal Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        socket.Send(BitConverter.GetBytes(Environment.ProcessId));
        return new Signal(socket);
    }

    public void WaitForRelease() => _socket.Receive(new byte[1]);

    public void Dispose() => _socket.Dispose();
}

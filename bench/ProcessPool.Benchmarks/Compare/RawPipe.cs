using System.Diagnostics;
using System.Net.Sockets;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The floor: a 16-byte ping-pong over a Unix socket between this process and a second .NET process
/// (this program, started as <c>raw-pipe-echo</c>), with plain blocking reads and writes.
/// </summary>
internal static class RawPipe
{
    private const int MessageLength = 16;

    public static double[] MeasureRoundTrips(int warmup, int count)
    {
        string directory = Directory.CreateTempSubdirectory("pp-bench-").FullName;
        string path = Path.Combine(directory, "echo.sock");
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var child = Process.Start(SelfCommand("raw-pipe-echo", path))!;
            using var socket = listener.Accept();
            var message = new byte[MessageLength];
            var micros = new double[count];
            for (int i = 0; i < warmup + count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                socket.Send(message);
                ReceiveExactly(socket, message);
                if (i >= warmup)
                {
                    micros[i - warmup] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                }
            }

            socket.Shutdown(SocketShutdown.Both);
            child.WaitForExit();
            Array.Sort(micros);
            return micros;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The child's side: echo every message until the parent closes the socket.</summary>
    public static int Echo(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        var message = new byte[MessageLength];
        while (ReceiveExactly(socket, message))
        {
            socket.Send(message);
        }

        return 0;
    }

    /// <summary>A command line that runs this benchmark program again, whether started by its apphost or by dotnet.</summary>
    public static ProcessStartInfo SelfCommand(params string[] arguments)
    {
        string host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RawPipe).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static bool ReceiveExactly(Socket socket, byte[] buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            filled += read;
        }

        return true;
    }
}

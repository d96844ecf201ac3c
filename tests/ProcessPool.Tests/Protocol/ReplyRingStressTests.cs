using System.Net.Sockets;
using ProcessPool.Protocol;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Protocol;

/// <summary>Two threads, a real Unix socket, a small ring: order, wrap-around, OnSocket, no lost wake-up.</summary>
public sealed class ReplyRingStressTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pp-ring-stress-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    public async Task Two_threads_many_frames_through_ring_and_socket_nothing_lost_or_reordered(int capacity)
    {
        string ringPath = Path.Combine(_directory, $"w{capacity}.ring");
        string sockPath = Path.Combine(_directory, $"w{capacity}.sock");
        using var parentRing = ReplyRing.Create(ringPath, capacity);
        using var workerRing = ReplyRing.Open(ringPath)!; // unmapped after the writer is awaited
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(sockPath));
        listener.Listen(1);
        var workerStream = ProcessPool.WorkerHost.UnixSocketStream.Connect(sockPath);
        var parentSocket = listener.Accept();
        const int Count = 50_000;

        var writing = Task.Run(() =>
        {
            var writer = new ReplyWriter(workerStream, workerRing);
            var rng = new Random(1);
            var frames = new FrameBuffer();
            for (int i = 0; i < Count;)
            {
                frames.Clear();
                int batch = rng.Next(1, 5);
                for (int b = 0; b < batch && i < Count; b++, i++)
                {
                    int size = rng.Next(20) == 0 ? rng.Next(capacity / 4, capacity * 2) : rng.Next(0, 40);
                    new ResultMessage(i, 0, 1, null, new byte[size]).Write(frames);
                }

                writer.Write(frames);
                if (rng.Next(1000) == 0)
                {
                    Thread.Sleep(1); // let the reader fall asleep
                }
            }

            workerStream.Dispose(); // the worker ends
        });

        var reading = Task.Run(() =>
        {
            using var reader = new ReplyReader(new FrameReader(new NetworkStream(parentSocket, ownsSocket: true)), parentRing);
            long expected = 0;
            while (reader.TryRead(out var frame))
            {
                using (frame)
                {
                    Assert.Equal(expected++, ResultMessage.Read(frame.Body).CallId);
                }
            }

            return expected;
        });

        Assert.Equal(Count, await reading.Within());
        await writing.Within();
    }
}

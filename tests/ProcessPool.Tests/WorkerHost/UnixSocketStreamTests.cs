using System.Net.Sockets;
using ProcessPool.Protocol;
using ProcessPool.Tests.Support;
using ProcessPool.WorkerHost;

namespace ProcessPool.Tests.WorkerHost;

/// <summary>The worker's end of the channel, against a .NET socket as the pool's end.</summary>
public sealed class UnixSocketStreamTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pp-sock-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Bytes_travel_both_ways_and_a_closed_peer_reads_as_the_end()
    {
        string path = Path.Combine(_directory.FullName, "w.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);

        using var worker = UnixSocketStream.Connect(path);
        using var pool = await listener.AcceptAsync().Within();
        byte[] big = new byte[1 << 20];
        Random.Shared.NextBytes(big);
        var sending = Task.Run(() => worker.Write(big)); // more than the socket buffers: written in parts
        byte[] received = new byte[big.Length];
        for (int at = 0; at < received.Length;)
        {
            at += await pool.ReceiveAsync(received.AsMemory(at)).AsTask().Within();
        }

        await sending.Within();
        Assert.Equal(big, received);

        await pool.SendAsync(new byte[] { 1, 2, 3 }).Within();
        byte[] back = new byte[8];
        Assert.Equal(3, worker.Read(back));
        Assert.Equal([1, 2, 3], back[..3]);

        pool.Shutdown(SocketShutdown.Both);
        Assert.Equal(0, worker.Read(back));
        Assert.Throws<IOException>(() => { for (int i = 0; i < 100; i++) worker.Write(big); }); // the peer is gone: an error, not SIGPIPE
    }

    [Fact]
    public async Task A_worker_whose_ring_is_full_when_its_parent_dies_fails_the_write_instead_of_outliving_it()
    {
        string path = Path.Combine(_directory.FullName, "w.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        using var worker = UnixSocketStream.Connect(path);
        var pool = await listener.AcceptAsync().Within();
        await pool.SendAsync(new byte[] { 1, 2, 3 }).Within(); // a call the worker has not read yet
        Assert.False(worker.PeerClosed());

        string ringPath = Path.Combine(_directory.FullName, "w.ring");
        using var parentRing = ReplyRing.Create(ringPath, capacity: 256);
        using var workerRing = ReplyRing.Open(ringPath)!;
        var writer = new ReplyWriter(worker, workerRing, worker.PeerClosed);
        var frames = new FrameBuffer();
        new ResultMessage(1, 0, 1, null, new byte[40]).Write(frames);
        for (int i = 0; i < 256 / frames.Length; i++)
        {
            writer.Write(frames); // the parent reads nothing: the ring fills
        }

        var writing = Task.Run(() => writer.Write(frames));
        pool.Dispose(); // the parent dies
        try
        {
            await Assert.ThrowsAsync<IOException>(() => writing.Within());
            Assert.True(worker.PeerClosed());
        }
        finally
        {
            parentRing.Read(new byte[256]); // room, should the write still be waiting
            await Task.WhenAny(writing); // done with the rings before they are unmapped
        }
    }

    [Fact]
    public void Nothing_listening_and_a_path_too_long_are_IO_errors()
    {
        var refused = Assert.Throws<IOException>(() => UnixSocketStream.Connect(Path.Combine(_directory.FullName, "nobody.sock")));
        Assert.StartsWith("connect failed:", refused.Message, StringComparison.Ordinal);
        var tooLong = Assert.Throws<IOException>(() => UnixSocketStream.Connect(Path.Combine(_directory.FullName, new string('x', 120))));
        Assert.Contains("longer than a Unix socket address allows", tooLong.Message, StringComparison.Ordinal);
    }
}

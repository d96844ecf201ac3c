using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using ProcessPool.Protocol;
using ProcessPool.Workers;

namespace ProcessPool.Tests.Workers;

/// <summary>
/// The parent's side of the handshake, over a real Unix socket pair: whatever the peer sends (or does
/// not send), it ends with the Hello accepted or a <see cref="WorkerStartException"/>, within the receive timeout.
/// </summary>
public sealed class HandshakeTests
{
    private const string Token = "the-pool-token";
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_hello_with_the_pools_token_and_version_is_accepted()
    {
        using var pair = SocketPair.Create();
        pair.Worker.Send(Frame(b => new HelloMessage(HelloMessage.CurrentProtocolVersion, Token, 4242).Write(b)));
        var hello = await Receive(pair);
        Assert.Equal(4242, hello.ProcessId);
    }

    [Theory]
    [InlineData(HelloMessage.CurrentProtocolVersion, "another-token")]
    [InlineData(HelloMessage.CurrentProtocolVersion + 1, Token)]
    public async Task A_hello_with_a_wrong_token_or_version_is_refused(int version, string token)
    {
        using var pair = SocketPair.Create();
        pair.Worker.Send(Frame(b => new HelloMessage(version, token, 1).Write(b)));
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("did not present this pool's token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_closes_at_once_is_refused()
    {
        using var pair = SocketPair.Create();
        pair.Worker.Shutdown(SocketShutdown.Send);
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("closed the channel instead of saying hello", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_says_nothing_is_refused_after_the_receive_timeout()
    {
        using var pair = SocketPair.Create();
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("failed during the handshake", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the handshake waited {clock.Elapsed}"); // far above the 300 ms receive timeout, far below a hang
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_truncated_hello_is_refused_whether_the_peer_then_closes_or_goes_silent(bool close)
    {
        using var pair = SocketPair.Create();
        byte[] hello = Frame(b => new HelloMessage(HelloMessage.CurrentProtocolVersion, Token, 1).Write(b));
        pair.Worker.Send(hello.AsSpan(0, hello.Length - 3));
        if (close)
        {
            pair.Worker.Shutdown(SocketShutdown.Send);
        }

        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("failed during the handshake", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FrameReader.DefaultMaxFrameLength)] // allowed, but only a few bytes follow
    [InlineData(FrameReader.DefaultMaxFrameLength + 1)]
    [InlineData(-1)]
    [InlineData(0)]
    public void An_oversized_or_impossible_length_prefix_is_refused(int length)
    {
        using var pair = SocketPair.Create();
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        bytes[4] = (byte)MessageType.Hello;
        pair.Worker.Send(bytes);
        pair.Worker.Shutdown(SocketShutdown.Send);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<WorkerStartException>(() => ReceiveHere(pair)); // the peer has closed: no wait
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4L << 20, "the handshake allocated by the declared length");
        Assert.Contains("failed during the handshake", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hello_whose_body_is_garbage_is_refused()
    {
        using var pair = SocketPair.Create();
        pair.Worker.Send([3, 0, 0, 0, (byte)MessageType.Hello, 0xc1, 0xdb]);
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("Hello message is malformed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_message_instead_of_a_hello_is_refused()
    {
        using var pair = SocketPair.Create();
        pair.Worker.Send(Frame(b => new CallIdMessage(1).Write(b, MessageType.Canceled)));
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => Receive(pair));
        Assert.Contains("sent a Canceled message instead of saying hello", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_garbage_is_always_refused()
    {
        var random = new Random(4711);
        for (int i = 0; i < 100; i++)
        {
            using var pair = SocketPair.Create();
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            pair.Worker.Send(bytes);
            pair.Worker.Shutdown(SocketShutdown.Send);
            try
            {
                await Receive(pair);
                Assert.Fail($"garbage case {i} was accepted: {Convert.ToHexString(bytes)}");
            }
            catch (WorkerStartException)
            {
                // refused, as it must be
            }
        }
    }

    [Fact]
    public async Task After_its_hello_a_worker_is_handed_calls_only_once_it_says_it_is_ready()
    {
        using var pair = SocketPair.Create();
        pair.Worker.Send(Frame(ReadyMessage.Write));
        await ReceiveReady(pair);
    }

    [Fact]
    public async Task Another_message_instead_of_ready_or_the_end_of_the_channel_is_refused()
    {
        using (var pair = SocketPair.Create())
        {
            pair.Worker.Send(Frame(b => new CallIdMessage(1).Write(b, MessageType.Canceled)));
            var error = await Assert.ThrowsAsync<WorkerStartException>(() => ReceiveReady(pair));
            Assert.Equal("Worker #7 sent a Canceled message instead of saying it was ready.", error.Message);
        }

        using (var pair = SocketPair.Create())
        {
            pair.Worker.Shutdown(SocketShutdown.Send);
            var error = await Assert.ThrowsAsync<WorkerStartException>(() => ReceiveReady(pair));
            Assert.Equal("Worker #7 closed the channel before it was ready.", error.Message);
        }
    }

    [Fact]
    public async Task A_worker_that_never_says_it_is_ready_is_refused_after_the_receive_timeout()
    {
        using var pair = SocketPair.Create();
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => ReceiveReady(pair));
        Assert.Contains("failed during the handshake", error.Message, StringComparison.Ordinal);
    }

    private static Task ReceiveReady(SocketPair pair) => Task.Run(() =>
    {
        pair.Parent.ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds;
        using var stream = new NetworkStream(pair.Parent, ownsSocket: false);
        using var replies = new ReplyReader(new FrameReader(stream), ring: null);
        WorkerLauncher.ReceiveReady(replies, what => new WorkerStartException($"Worker #7 {what}."));
    }).WaitAsync(Bound);

    private static Task<HelloMessage> Receive(SocketPair pair) => Task.Run(() => ReceiveHere(pair)).WaitAsync(Bound);

    private static HelloMessage ReceiveHere(SocketPair pair)
    {
        pair.Parent.ReceiveTimeout = (int)ReceiveTimeout.TotalMilliseconds;
        using var stream = new NetworkStream(pair.Parent, ownsSocket: false);
        return WorkerLauncher.ReceiveHello(new FrameReader(stream, bufferSize: 0), Token, 7, what => new WorkerStartException($"Worker #7 {what}."));
    }

    private static byte[] Frame(Action<FrameBuffer> write)
    {
        var buffer = new FrameBuffer();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Two connected Unix sockets: the parent's end (accepted) and the worker's.</summary>
    private sealed class SocketPair : IDisposable
    {
        private SocketPair(Socket parent, Socket worker)
        {
            Parent = parent;
            Worker = worker;
        }

        public Socket Parent { get; }

        public Socket Worker { get; }

        public static SocketPair Create()
        {
            string path = Path.Combine(Path.GetTempPath(), $"pp-handshake-{Guid.NewGuid():N}.sock");
            var endpoint = new UnixDomainSocketEndPoint(path);
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(endpoint);
            listener.Listen(1);
            var worker = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            worker.Connect(endpoint);
            var parent = listener.Accept();
            File.Delete(path);
            return new SocketPair(parent, worker);
        }

        public void Dispose()
        {
            Parent.Dispose();
            Worker.Dispose();
        }
    }
}

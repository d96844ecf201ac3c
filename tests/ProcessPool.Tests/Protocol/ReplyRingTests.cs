using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ProcessPool.Protocol;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Protocol;

/// <summary>
/// The worker's replies through its shared-memory ring (<see cref="ReplyRing"/>, <see cref="ReplyWriter"/>,
/// <see cref="ReplyReader"/>), both sides in this process over one file, the socket played by a stream:
/// order kept across the ring and the socket, the doorbell, and nothing lost when the worker dies.
/// </summary>
public sealed class ReplyRingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pp-ring-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Replies_appended_just_before_the_worker_died_are_read_after_the_end_of_its_stream()
    {
        using var parentRing = CreateRing();
        var socket = new MemoryStream();
        var writer = new ReplyWriter(socket, OpenWorkerSide());
        writer.Write(Frames(Result(1)));
        writer.Write(Frames(Result(2)));

        // The worker dies: its socket ends with nothing on it (no doorbell: the reader was awake), the ring holds both replies.
        Assert.Equal(0, socket.Length);
        using var reader = new ReplyReader(new FrameReader(new MemoryStream(socket.ToArray())), parentRing);
        Assert.Equal([1L, 2L], ReadAll(reader));
    }

    [Fact]
    public void The_doorbell_rings_only_for_an_append_after_the_reader_said_it_was_asleep()
    {
        using var parentRing = CreateRing();
        using var workerRing = OpenWorkerSide();
        var frames = Frames(Result(1));

        Assert.False(workerRing.Append(frames.WrittenSpan)); // the reader is awake
        Assert.False(parentRing.TrySleep()); // it cannot sleep: there is data
        parentRing.Read(new byte[frames.Length]);
        Assert.True(parentRing.TrySleep());
        Assert.True(workerRing.Append(frames.WrittenSpan)); // it sleeps: ring
        Assert.False(workerRing.Append(frames.WrittenSpan)); // once
    }

    [Fact]
    public void A_reader_woken_by_the_doorbell_reads_the_ring()
    {
        using var parentRing = CreateRing();
        Assert.True(parentRing.TrySleep());
        var socket = new MemoryStream();
        var writer = new ReplyWriter(socket, OpenWorkerSide());
        writer.Write(Frames(Result(7)));

        Assert.Equal(WakeMessage.Frame.ToArray(), socket.ToArray());
        using var reader = new ReplyReader(new FrameReader(new MemoryStream(socket.ToArray())), parentRing);
        Assert.Equal([7L], ReadAll(reader));
    }

    [Fact]
    public void A_message_too_large_for_the_ring_travels_on_the_socket_in_its_place()
    {
        using var parentRing = CreateRing(capacity: 1024);
        var socket = new MemoryStream();
        var writer = new ReplyWriter(socket, OpenWorkerSide());
        writer.Write(Frames(Result(1)));
        writer.Write(Frames(Result(2, payloadBytes: 600))); // more than a quarter of the ring
        writer.Write(Frames(Result(3)));

        using var reader = new ReplyReader(new FrameReader(new MemoryStream(socket.ToArray())), parentRing);
        Assert.Equal([1L, 2L, 3L], ReadAll(reader));
    }

    [Fact]
    public void A_message_announced_by_the_ring_that_never_came_is_a_worker_dying_mid_write()
    {
        using var parentRing = CreateRing();
        using var workerRing = OpenWorkerSide();
        var marker = new FrameBuffer();
        new OnSocketMessage(1).Write(marker);
        workerRing.Append(marker.WrittenSpan);

        using var reader = new ReplyReader(new FrameReader(new MemoryStream()), parentRing);
        Assert.True(Assert.Throws<ProtocolException>(() => reader.TryRead(out _)).CutShort);
    }

    [Fact]
    public void Appends_wrap_around_the_ring_and_come_out_whole_and_in_order()
    {
        using var parentRing = CreateRing(capacity: 256);
        var writer = new ReplyWriter(new MemoryStream(), OpenWorkerSide());
        using var reader = new ReplyReader(new FrameReader(new MemoryStream()), parentRing);
        for (int i = 0; i < 200; i++)
        {
            writer.Write(Frames(Result(i, payloadBytes: i % 23)));
            Assert.True(reader.TryRead(out var frame));
            using (frame)
            {
                var result = ResultMessage.Read(frame.Body);
                Assert.Equal(i, result.CallId);
                Assert.Equal(i % 23, result.Payload.Length);
            }
        }
    }

    [Fact]
    public void A_worker_without_a_ring_writes_to_the_socket_and_is_read_from_it()
    {
        var socket = new MemoryStream();
        new ReplyWriter(socket, ring: null).Write(Frames(Result(4)));

        using var reader = new ReplyReader(new FrameReader(new MemoryStream(socket.ToArray())), ring: null);
        Assert.Equal([4L], ReadAll(reader));
        Assert.Null(ReplyRing.Open(Path.Combine(_directory, "none.ring")));
    }

    [Fact]
    public void A_new_ring_has_its_pages_allocated_so_a_full_file_system_fails_its_creation_not_a_later_write()
    {
        // A sparse file would map fine on a full tmpfs, and the first write to the mapping would be a SIGBUS.
        using var ring = CreateRing();
        Assert.True(AllocatedBytes(RingPath) >= new FileInfo(RingPath).Length, "the ring file is sparse");
    }

    [Theory]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(ObjectDisposedException))]
    public void A_result_published_in_the_ring_is_read_before_the_sockets_failure_is_reported(Type failure)
    {
        using var parentRing = CreateRing();
        using var workerRing = OpenWorkerSide();
        var result = Frames(Result(1));

        // The reader sleeps on the socket; the worker appends a result and dies before its doorbell, with
        // calls unread, so the read fails (ECONNRESET) rather than ending.
        var socket = new DyingSocket(() => workerRing.Append(result.WrittenSpan), failure);
        using var reader = new ReplyReader(new FrameReader(socket), parentRing);

        Assert.True(reader.TryRead(out var frame));
        using (frame)
        {
            Assert.Equal(1, ResultMessage.Read(frame.Body).CallId);
        }

        Assert.IsType(failure, Assert.ThrowsAny<Exception>(() => reader.TryRead(out _)));
    }

    [Fact]
    public void A_lying_length_in_the_ring_is_a_malformed_message_not_a_worker_dying_mid_write()
    {
        using var parentRing = CreateRing();
        using var workerRing = OpenWorkerSide();
        workerRing.Append([200, 0, 0, 0, (byte)MessageType.Result, 1, 2, 3]); // says 200 bytes, carries 4: appends are whole, so a lie

        using var reader = new ReplyReader(new FrameReader(new MemoryStream()), parentRing);
        Assert.False(Assert.Throws<ProtocolException>(() => reader.TryRead(out _)).CutShort);
    }

    [Fact]
    public void A_marker_announcing_more_messages_than_any_batch_is_malformed()
    {
        using var parentRing = CreateRing();
        using var workerRing = OpenWorkerSide();
        var marker = new FrameBuffer();
        new OnSocketMessage(int.MaxValue).Write(marker);
        workerRing.Append(marker.WrittenSpan);

        using var reader = new ReplyReader(new FrameReader(new MemoryStream()), parentRing);
        Assert.False(Assert.Throws<ProtocolException>(() => reader.TryRead(out _)).CutShort);
    }

    [Fact]
    public async Task A_full_ring_whose_reader_is_gone_fails_the_append_instead_of_waiting_forever()
    {
        using var parentRing = CreateRing(capacity: 256);
        using var workerRing = OpenWorkerSide();
        byte[] quarter = new byte[workerRing.MaxAppend];
        for (int i = 0; i < 4; i++)
        {
            workerRing.Append(quarter); // full: nobody reads
        }

        var appending = Task.Run(() => workerRing.Append(quarter, readerGone: () => true));
        try
        {
            await Assert.ThrowsAsync<IOException>(() => appending.Within());
        }
        finally
        {
            parentRing.Read(new byte[256]); // room, should the append still be waiting
            await Task.WhenAny(appending); // done with the rings before they are unmapped
        }
    }

    [Fact]
    public void A_reader_without_a_ring_says_when_replies_from_the_socket_are_already_here()
    {
        var socket = new MemoryStream();
        var writer = new ReplyWriter(socket, ring: null);
        writer.Write(Frames(Result(1)));
        writer.Write(Frames(Result(2)));

        using var reader = new ReplyReader(new FrameReader(new MemoryStream(socket.ToArray())), ring: null);
        Assert.True(reader.TryRead(out var first));
        first.Dispose();
        Assert.True(reader.HasBufferedFrame); // so the parent handles the burst as one batch
    }

    private static ResultMessage Result(long callId, int payloadBytes = 3) => new(callId, 10, 1, null, new byte[payloadBytes]);

    private static FrameBuffer Frames(ResultMessage result)
    {
        var buffer = new FrameBuffer();
        result.Write(buffer);
        return buffer;
    }

    private static List<long> ReadAll(ReplyReader reader)
    {
        var ids = new List<long>();
        while (reader.TryRead(out var frame))
        {
            using (frame)
            {
                ids.Add(ResultMessage.Read(frame.Body).CallId);
            }
        }

        return ids;
    }

    /// <summary>The bytes of disk (or memory) really allocated to a file: a sparse file's holes are not.</summary>
    private static long AllocatedBytes(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true })!;
        string[] parts = stat.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        stat.WaitForExit();
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * long.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private string RingPath => Path.Combine(_directory, "w1.ring");

    private ReplyRing CreateRing(int capacity = ReplyRing.DefaultCapacity) => ReplyRing.Create(RingPath, capacity);

    private ReplyRing OpenWorkerSide() => ReplyRing.Open(RingPath) ?? throw new InvalidOperationException("no ring");

    /// <summary>A worker's socket that, once read, runs <paramref name="beforeDying"/> and fails as the socket of a dead worker does.</summary>
    private sealed class DyingSocket(Action beforeDying, Type failure) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            beforeDying();
            throw failure == typeof(IOException)
                ? new IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))
                : new ObjectDisposedException(nameof(NetworkStream));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

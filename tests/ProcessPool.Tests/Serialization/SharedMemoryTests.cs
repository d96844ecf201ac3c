using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

/// <summary>Large arrays travel through files in the pool's private directory; only their names go on the channel.</summary>
public sealed class SharedMemoryTests
{
    private const int Large = SharedMemory.Threshold * 4;

    [Fact]
    public async Task Large_arrays_arrive_intact_both_ways()
    {
        await using var pool = Pools.Create(workers: 1);
        var bytes = new byte[Large * 8];
        Random.Shared.NextBytes(bytes);
        double[] doubles = [.. Enumerable.Range(0, Large).Select(i => i * 0.5)];
        int[] ints = [.. Enumerable.Range(0, Large)];

        Assert.Equal(bytes, await pool.SubmitAsync(Maths.Echo, bytes).Within());
        Assert.Equal(doubles.Reverse(), await pool.SubmitAsync(Arrays.Reverse, doubles).Within());
        Assert.Equal(ints.Select(i => i + 1), await pool.SubmitAsync(Arrays.Increment, ints).Within());
    }

    [Fact]
    public async Task A_large_array_inside_an_object_and_in_map_items_arrives_intact()
    {
        await using var pool = Pools.Create(workers: 1);
        var samples = new Samples("s", [.. Enumerable.Range(0, Large).Select(i => (double)i)]);
        var scaled = await pool.SubmitAsync(Arrays.Scale, samples, 2.0).Within();
        Assert.Equal("s", scaled.Name);
        Assert.Equal(samples.Values.Select(v => v * 2), scaled.Values);

        byte[][] items = [new byte[Large], new byte[10], new byte[Large + 1]];
        Assert.Equal([Large, 10, Large + 1], await pool.MapAsync(Arrays.Length, items).ToListWithin());
    }

    [Fact]
    public async Task Large_arrays_go_through_segments_that_are_reused_call_after_call()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(Large, (await pool.SubmitAsync(Maths.Echo, new byte[Large]).Within()).Length);
        string[] first = Segments(pool);
        Assert.Equal(2, first.Length); // the parent's, for the argument; the worker's, for the result

        for (int i = 0; i < 20; i++)
        {
            var data = new byte[Large];
            data[i] = (byte)(i + 1);
            Assert.Equal(data, await pool.SubmitAsync(Maths.Echo, data).Within());
        }

        Assert.Equal(first, Segments(pool)); // the same two, given back after each call and rented again
    }

    [Fact]
    public async Task Arrays_of_another_size_take_another_segment_and_free_ones_do_not_pile_up()
    {
        await using var pool = Pools.Create(workers: 1);
        for (int i = 1; i <= 3 * SegmentPool.FreeSegmentsKept; i++)
        {
            Assert.Equal(Large * i, (await pool.SubmitAsync(Maths.Echo, new byte[Large * i]).Within()).Length);
        }

        // Each owner (the parent, one worker) keeps at most FreeSegmentsKept free segments, plus the one it just rented.
        await WaitForAsync(() => Segments(pool).Length <= 2 * (SegmentPool.FreeSegmentsKept + 1));
    }

    [Fact]
    public async Task The_file_of_a_call_cancelled_before_it_ran_is_deleted()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var blocker = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();
        using var cancel = new CancellationTokenSource();
        var queued = pool.SubmitAsync(Maths.Echo, new byte[Large], cancel.Token);
        Assert.Single(Directory.GetFiles(pool.WorkDirectory, "*.seg"));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Within());
        signal.ReleaseAll();
        await blocker.Within();
        await WaitForAsync(() => Directory.GetFiles(pool.WorkDirectory, "*.seg").Length == 0); // deleted, not kept as a spare
    }

    [Fact]
    public void A_reference_to_a_file_outside_the_pool_directories_is_refused()
    {
        string outside = Path.Combine(Path.GetTempPath(), "elsewhere.seg");
        var error = Assert.Throws<InvalidDataException>(() => SharedMemory.Read<byte>(outside, 10));
        Assert.Contains("not a file of this pool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_large_array_that_cannot_be_written_to_shared_memory_travels_inline()
    {
        // A missing directory stands for a full /dev/shm: the write fails, and the array goes inline.
        using var missing = new SegmentPool(Path.Combine(Path.GetTempPath(), $"pp-missing-{Guid.NewGuid():N}"), SegmentNames.Parent, inWorker: false);
        var options = new PayloadContext(null, missing).BeginWrite(sharedMemory: true);
        var data = new byte[Large];
        data[^1] = 7;
        Assert.Equal(data, RoundTrip(data, options));
        Assert.Empty(options.Writing.Created);
    }

    [Fact]
    public void A_write_without_shared_memory_keeps_arrays_inline_in_a_pool_with_a_directory()
    {
        using var segments = new SegmentPool(Path.GetTempPath(), SegmentNames.Parent, inWorker: false);
        var options = new PayloadContext(null, segments).BeginWrite(sharedMemory: false);
        Assert.Equal(new int[Large], RoundTrip(new int[Large], options));
        Assert.Empty(options.Writing.Created);
    }

    private static string[] Segments(ProcessPoolExecutor pool) => [.. Directory.GetFiles(pool.WorkDirectory, "*.seg").Order(StringComparer.Ordinal)];

    private static T RoundTrip<T>(T value, PayloadOptions options)
    {
        var buffer = new FrameBuffer();
        var writer = new MessagePackWriter(buffer);
        PayloadSerializer.Write(ref writer, value, options, "value");
        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        return PayloadSerializer.Read<T>(ref reader, options.Context.Reading);
    }

    // Files are deleted in the background; wait for that, within the usual bound.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Bounded.Timeout);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    [Fact]
    public async Task A_result_that_fails_half_way_gives_its_segment_back()
    {
        await using var pool = Pools.Create(workers: 1);
        await Assert.ThrowsAnyAsync<Exception>(() => pool.SubmitAsync(HalfWritten.BigThenUnsendable, 1 << 20).Within());
        string[] written = Directory.GetFiles(pool.WorkDirectory, "r*.seg");
        Assert.Single(written);

        // The worker gave the segment of the array it had written back to its pool: the next result of that size reuses it.
        Assert.Equal(1 << 20, (await pool.SubmitAsync(Maths.Echo, new byte[1 << 20]).Within()).Length);
        Assert.Equal(written, Directory.GetFiles(pool.WorkDirectory, "r*.seg"));
    }

    [Fact]
    public void A_segments_capacity_is_what_was_mapped_whatever_the_other_process_writes_in_its_header()
    {
        // The header is shared memory the other process writes: a capacity raised there after mapping
        // must not stretch a read (or this process's own next rent) past the end of the mapping.
        string directory = Path.Combine(SegmentDirectoryRoot(), "pp-capacity-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        SharedMemory.Register(directory, asParent: true);
        try
        {
            var workerSide = new SegmentPool(directory, SegmentNames.Result(999), inWorker: true);
            var parentSide = new SegmentPool(directory, SegmentNames.Parent, inWorker: false);
            var segment = workerSide.Rent(4096);
            SharedMemory.Read<byte>(segment.Path, 16); // the parent maps the worker's segment and keeps the mapping
            System.Runtime.InteropServices.Marshal.WriteInt64(segment.Data - 56, 1L << 30); // the header's capacity word, rewritten

            Assert.Equal(4096, segment.Capacity);
            Assert.ThrowsAny<Exception>(() => SharedMemory.ReadBuffer(segment.Path, 1 << 29, parentSide));
            Assert.Throws<InvalidDataException>(() => SharedMemory.Read<byte>(segment.Path, -1)); // a forged length

            var own = parentSide.Rent(4096);
            System.Runtime.InteropServices.Marshal.WriteInt64(own.Data - 56, 1L << 20);
            own.Return();
            Assert.NotSame(own, parentSide.Rent(1L << 20)); // not handed out for an array its mapping cannot hold
        }
        finally
        {
            SharedMemory.Unregister(directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(true)] // the parent, reading a reply that names the parent's own segment
    [InlineData(false)] // a worker, reading a call that names a worker's segment
    public void A_message_naming_a_segment_of_the_reading_side_is_refused(bool readerIsParent)
    {
        string directory = Path.Combine(SegmentDirectoryRoot(), "pp-names-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        SharedMemory.Register(directory, asParent: readerIsParent);
        try
        {
            var own = new SegmentPool(directory, readerIsParent ? SegmentNames.Parent : SegmentNames.Result(7), inWorker: !readerIsParent);
            using var buffer = own.RentBuffer(4096);
            var error = Assert.Throws<InvalidDataException>(() => SharedMemory.Read<byte>(buffer.Segment.Path, 16));
            Assert.Contains("a segment of the process reading it", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            SharedMemory.Unregister(directory);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string SegmentDirectoryRoot() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
}

using System.Runtime.CompilerServices;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>
/// Shared buffers: the worker reads the caller's memory, the caller reads the worker's, and each
/// lifetime rule of docs/shared-buffers.md holds with real worker processes.
/// </summary>
public sealed class SharedBufferTests
{
    private const int Size = 256 * 1024;

    [Fact]
    public async Task Content_travels_both_ways_without_changing()
    {
        await using var pool = Pools.Create(workers: 1);
        using var argument = pool.RentBuffer(Size);
        Random.Shared.NextBytes(argument.Span);
        long expected = 0;
        foreach (byte b in argument.Span)
        {
            expected += b;
        }

        Assert.Equal(expected, await pool.SubmitAsync(SharedBuffers.Sum, argument).Within());
        using var copy = await pool.SubmitAsync(SharedBuffers.Copy, argument).Within();
        Assert.Equal(Size, copy.Length);
        Assert.True(copy.Span.SequenceEqual(argument.Span));
        Assert.True(copy.Memory.Span.SequenceEqual(argument.Span));

        using var squares = await pool.SubmitAsync(SharedBuffers.Squares, 1000).Within();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), squares.AsSpan<int>().ToArray());
    }

    [Fact]
    public async Task Buffers_travel_inside_records_and_as_map_items()
    {
        await using var pool = Pools.Create(workers: 2);
        var image = await pool.SubmitAsync(SharedBuffers.FilledImage, Size, (byte)9).Within();
        using (image.Pixels)
        {
            Assert.Equal("image 9", image.Name);
            Assert.All(image.Pixels.Span.ToArray(), b => Assert.Equal(9, b));
        }

        var buffers = Enumerable.Range(1, 4).Select(i =>
        {
            var buffer = pool.RentBuffer(1000);
            buffer.Span.Fill((byte)i);
            return buffer;
        }).ToList();
        Assert.Equal([1000L, 2000, 3000, 4000], await pool.MapAsync(SharedBuffers.Sum, buffers).ToListWithin());
        buffers.ForEach(b => b.Dispose());

        var results = await pool.MapAsync(SharedBuffers.FilledKilobyte, [1, 2, 3, 4, 5]).ToListWithin();
        Assert.Equal([1, 2, 3, 4, 5], results.Select(b => (int)b.Span[1023]));
        results.ForEach(b => b.Dispose());
    }

    [Fact]
    public async Task A_result_given_back_is_the_memory_the_worker_rents_next()
    {
        await using var pool = Pools.Create(workers: 1);
        var first = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)1).Within();
        string segment = first.Segment.Path;
        first.Dispose();

        using var second = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)2).Within();
        Assert.Equal(segment, second.Segment.Path); // warm pages, no new file
        Assert.All(second.Span.ToArray(), b => Assert.Equal(2, b));

        using var third = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)3).Within();
        Assert.NotEqual(segment, third.Segment.Path); // the second is still the caller's
    }

    [Fact]
    public async Task A_buffer_the_parent_gives_back_is_rented_again()
    {
        await using var pool = Pools.Create(workers: 1);
        var first = pool.RentBuffer(Size);
        string segment = first.Segment.Path;
        first.Dispose();
        using var second = pool.RentBuffer(Size - 100);
        Assert.Equal(segment, second.Segment.Path);
    }

    [Fact]
    public async Task A_result_never_disposed_of_is_not_given_back_behind_a_span_in_use()
    {
        // A span does not keep its buffer alive, so a finalizer that gave the memory back could let the
        // worker overwrite (or the parent unmap) what a span still reads: an undisposed result stays rented.
        await using var pool = Pools.Create(workers: 1);
        var (segment, dropped) = await DropResultAsync(pool);
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within()); // the pool's own references move on to another call
        await Eventually.TrueAsync(
            () =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                return !dropped.IsAlive;
            },
            "the dropped result is collected");

        using var next = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)2).Within();
        Assert.NotEqual(segment, next.Segment.Path);
    }

    [Fact]
    public async Task A_worker_cannot_keep_an_argument_buffer_past_its_call()
    {
        await using var pool = Pools.Create(workers: 1);
        using var argument = pool.RentBuffer(Size);
        Assert.Equal(Size, await pool.SubmitAsync(SharedBuffers.Keep, argument).Within());
        Assert.Equal("disposed", await pool.SubmitAsync(SharedBuffers.UseKept, 0).Within());
    }

    [Fact]
    public async Task An_argument_disposed_early_is_not_reused_before_its_call_ends()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var argument = pool.RentBuffer(Size);
        argument.Span.Fill(1);
        string segment = argument.Segment.Path;
        var sum = pool.SubmitAsync(SharedBuffers.SumWhenReleased, argument, signal.Path);
        await signal.WaitForStartAsync();
        argument.Dispose();

        using (var other = pool.RentBuffer(Size))
        {
            Assert.NotEqual(segment, other.Segment.Path); // still the running call's
            other.Span.Fill(2);
        }

        signal.ReleaseAll();
        Assert.Equal(Size, await sum.Within()); // the worker read the caller's bytes, untouched
        await Eventually.TrueAsync(() => RentsAgain(pool, segment), "the argument's memory goes back to the pool once its call has ended");
    }

    [Fact]
    public async Task A_worker_that_returns_its_argument_sends_a_copy()
    {
        await using var pool = Pools.Create(workers: 1);
        using var argument = pool.RentBuffer(Size);
        argument.Span.Fill(5);
        using var result = await pool.SubmitAsync(SharedBuffers.Same, argument).Within();
        Assert.NotEqual(argument.Segment.Path, result.Segment.Path);
        Assert.True(result.Span.SequenceEqual(argument.Span));
    }

    [Fact]
    public async Task A_result_stays_readable_after_its_worker_crashes()
    {
        await using var pool = Pools.Create(workers: 1);
        using var result = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)7).Within();
        await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Runaway.Segfault, 0).Within());
        await Eventually.TrueAsync(() => !File.Exists(result.Segment.Path), "the dead worker's segments are deleted");

        Assert.All(result.Span.ToArray(), b => Assert.Equal(7, b));
        result.Dispose();
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within());
    }

    [Fact]
    public async Task Buffers_outlive_the_pool_directory_which_goes_at_shutdown()
    {
        var pool = Pools.Create(workers: 1);
        var argument = pool.RentBuffer(Size);
        argument.Span.Fill(3);
        var result = await pool.SubmitAsync(SharedBuffers.Copy, argument).Within();
        string directory = pool.WorkDirectory;
        await pool.DisposeAsync();

        Assert.False(Directory.Exists(directory));
        Assert.True(result.Span.SequenceEqual(argument.Span)); // mapped memory stays until disposed
        argument.Dispose();
        result.Dispose();
    }

    [Fact]
    public async Task A_buffer_of_another_pool_is_refused()
    {
        await using var pool = Pools.Create(workers: 1);
        await using var other = Pools.Create(workers: 1);
        using var foreign = other.RentBuffer(100);
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(SharedBuffers.Sum, foreign); });
        Assert.Contains("another pool", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disposed_buffer_cannot_be_used_or_sent()
    {
        await using var pool = Pools.Create(workers: 1);
        var buffer = pool.RentBuffer(100);
        buffer.Dispose();
        buffer.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.Memory.Length);
        Assert.Throws<ObjectDisposedException>(() => buffer.AsSpan<int>().Length);
        var error = Assert.ThrowsAny<Exception>(() => { _ = pool.SubmitAsync(SharedBuffers.Sum, buffer); });
        Assert.True(error is ObjectDisposedException || error.InnerException is ObjectDisposedException, error.ToString());
    }

    [Fact]
    public void Rent_outside_a_worker_names_the_pool_method()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SharedBuffer.Rent(10));
        Assert.Contains("pool.RentBuffer", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => SharedBuffer.Rent(-1));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<(string Segment, WeakReference Buffer)> DropResultAsync(ProcessPoolExecutor pool)
    {
        var buffer = await pool.SubmitAsync(SharedBuffers.Filled, Size, (byte)1).Within();
        return (buffer.Segment.Path, new WeakReference(buffer));
    }

    private static bool RentsAgain(ProcessPoolExecutor pool, string segment)
    {
        using var first = pool.RentBuffer(Size);
        using var second = pool.RentBuffer(Size);
        return first.Segment.Path == segment || second.Segment.Path == segment;
    }
}

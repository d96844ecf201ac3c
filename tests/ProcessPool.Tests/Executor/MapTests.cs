using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

public sealed class MapTests
{
    [Fact]
    public async Task MapAsync_yields_results_in_input_order()
    {
        await using var pool = Pools.Create();
        var results = await pool.MapAsync(Maths.Square, Enumerable.Range(0, 1000)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), results);
    }

    [Fact]
    public async Task MapAsync_over_two_sources_zips_them_and_stops_at_the_shorter()
    {
        await using var pool = Pools.Create();
        var results = await pool.MapAsync(Maths.Add, Enumerable.Range(0, 100), Enumerable.Range(1000, 50)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i + i + 1000), results);
    }

    [Fact]
    public async Task MapUnorderedAsync_yields_every_result_once()
    {
        await using var pool = Pools.Create();
        var results = await pool.MapUnorderedAsync(Maths.Square, Enumerable.Range(0, 500)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 500).Select(i => i * i), results.Order());
    }

    [Fact]
    public async Task MapUnorderedAsync_yields_in_completion_order()
    {
        await using var pool = Pools.Create(workers: 2);
        using var signal = new TestSignal();
        var paths = new[] { signal.Path, "" };
        var results = new List<string>();
        await foreach (var r in pool.MapUnorderedAsync(p => p.Length == 0 ? "fast" : $"slow {Misbehaving.SignalThenBlock(p)}", paths, new MapOptions { ChunkSize = 1 }))
        {
            results.Add(r);
            if (results.Count == 1)
            {
                // The slow item can only finish after the fast one was handed over.
                await signal.WaitForStartAsync();
                signal.ReleaseAll();
            }
        }

        Assert.Equal("fast", results[0]);
        Assert.StartsWith("slow", results[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MapAsync_accepts_an_async_source()
    {
        await using var pool = Pools.Create();
        var results = await pool.MapAsync(Maths.Square, Numbers(20)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i * i), results);

        static async IAsyncEnumerable<int> Numbers(int count)
        {
            for (int i = 0; i < count; i++)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }

    [Fact]
    public async Task An_async_function_can_be_mapped()
    {
        await using var pool = Pools.Create();
        var results = await pool.MapAsync(async (int x) => { await Task.Yield(); return x * 3; }, Enumerable.Range(0, 50)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * 3), results);
        var unordered = await pool.MapUnorderedAsync(Maths.SquareAsync, Enumerable.Range(0, 50)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), unordered.Order());
    }

    [Fact]
    public async Task The_blocking_Map_returns_ordered_results()
    {
        await using var pool = Pools.Create();
        var results = pool.Map(Maths.Square, Enumerable.Range(0, 100), new MapOptions { Timeout = TimeSpan.FromSeconds(60) }).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), results);
        Assert.Equal(new[] { 3, 5 }, pool.Map(Maths.Add, new[] { 1, 2 }, new[] { 2, 3 }).ToList());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task Explicit_chunk_sizes_give_the_same_results(int chunkSize)
    {
        await using var pool = Pools.Create();
        var results = await pool.MapAsync(Maths.Square, Enumerable.Range(0, 100), new MapOptions { ChunkSize = chunkSize }).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * i), results);
    }

    [Fact]
    public async Task Map_reads_the_source_no_further_ahead_than_MaxInFlight()
    {
        await using var pool = Pools.Create();
        int read = 0;
        int handedOver = 0;
        var source = Enumerable.Range(0, 200).Select(i => { Interlocked.Increment(ref read); return i; });
        await foreach (int r in pool.MapAsync(Maths.Square, source, new MapOptions { MaxInFlight = 10 }))
        {
            handedOver++;
            Assert.True(Volatile.Read(ref read) - handedOver <= 10, $"read {read} items with {handedOver} handed over");
            Assert.Equal((handedOver - 1) * (handedOver - 1), r);
        }

        Assert.Equal(200, handedOver);
    }

    [Fact]
    public async Task Map_is_lazy_it_reads_nothing_until_enumerated()
    {
        await using var pool = Pools.Create();
        int read = 0;
        var results = pool.MapAsync(Maths.Square, Enumerable.Range(0, 10).Select(i => { read++; return i; }));
        Assert.Equal(0, read);
        Assert.Equal(10, (await results.ToListWithin()).Count);
    }

    [Fact]
    public async Task A_failing_item_yields_the_results_before_it_then_throws_its_exception()
    {
        await using var pool = Pools.Create();
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
        {
            await foreach (int r in pool.MapAsync(Misbehaving.ThrowIfNegative, new[] { 1, 2, 3, -4, 5, 6 }))
            {
                results.Add(r);
            }
        });
        Assert.Equal(new[] { 1, 4, 9 }, results);
        Assert.Equal("x", error.ParamName);
    }

    [Fact]
    public async Task Stopping_early_cancels_the_items_that_have_not_started()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        string path = signal.Path;
        var token = CancellationToken.None; // becomes each item's own token in the worker
        var options = new MapOptions { ChunkSize = 1, MaxInFlight = 50 };
        await foreach (int r in pool.MapAsync(i => i == 0 ? 0 : Misbehaving.BlockUntilCancelled(path, token), Enumerable.Range(0, 50), options))
        {
            break; // item 1 may be running: it is cancelled; items 2..49 never start
        }

        await pool.SubmitAsync(Maths.Zero).Within(); // the only worker runs this after whatever of the map was not withdrawn
        Assert.InRange(signal.CountStarted(), 0, 1);
    }

    [Fact]
    public async Task Bad_map_arguments_throw_at_the_call()
    {
        await using var pool = Pools.Create();
        Assert.Throws<ArgumentNullException>(() => pool.MapAsync(Maths.Square, (IEnumerable<int>)null!));
        Assert.Throws<ArgumentNullException>(() => pool.MapAsync((Func<int, int>)null!, new[] { 1 }));
        using var stream = new MemoryStream();
        Assert.Throws<PayloadSerializationException>(() => pool.MapAsync(i => i + stream.Length, new[] { 1L }));
    }

    [Fact]
    public async Task A_map_enumerated_again_after_leaving_early_starts_afresh()
    {
        await using var pool = Pools.Create();
        var squares = pool.MapAsync(Maths.Square, Enumerable.Range(0, 200), new MapOptions { ChunkSize = 10, MaxInFlight = 100 });
        await foreach (int first in squares)
        {
            Assert.Equal(0, first);
            break; // leaves items read and never consumed
        }

        Assert.Equal(Enumerable.Range(0, 200).Select(x => x * x), await squares.ToListWithin());
    }
}

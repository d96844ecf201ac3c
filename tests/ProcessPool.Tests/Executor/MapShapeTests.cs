using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>The regular Map family on the real pool: token-taking functions, async and two-source forms, blocking forms.</summary>
public sealed class MapShapeTests
{
    private static readonly int[] Items = [.. Enumerable.Range(0, 40)];

    [Fact]
    public async Task Functions_taking_a_token_map_in_order_and_unordered()
    {
        await using var pool = Pools.Create(workers: 2);
        var squares = Items.Select(x => x * x).ToList();

        // Task<int> F(int, CancellationToken) gave CS0411 before the family was regular.
        var unordered = await pool.MapUnorderedAsync(Maths.SlowAsync, Items).ToListWithin();
        Assert.Equal(Items.Select(x => x * 2), unordered.Order());
        Assert.Equal(Items.Select(x => x * 2), await pool.MapAsync(Maths.SlowAsync, Items).ToListWithin());
        Assert.Equal(squares, await pool.MapAsync(Maths.SquareWithToken, Items).ToListWithin());
        Assert.Equal(squares, (await pool.MapUnorderedAsync(Maths.SquareWithToken, AsyncItems()).ToListWithin()).Order());
        Assert.Equal([5, 1], await pool.MapAsync(Transit.DelayValueTaskAsync, [5, 1]).ToListWithin());
    }

    [Fact]
    public async Task Two_source_maps_take_async_sources_and_every_function_shape()
    {
        await using var pool = Pools.Create(workers: 2);
        var sums = Items.Select(x => x + x).ToList();

        Assert.Equal(sums, await pool.MapAsync(Maths.Add, AsyncItems(), AsyncItems()).ToListWithin());
        Assert.Equal(sums, await pool.MapAsync(Maths.AddAsync, Items, Items).ToListWithin());
        Assert.Equal(sums, await pool.MapAsync(Maths.AddWithToken, AsyncItems(), AsyncItems()).ToListWithin());
        Assert.Equal(sums, (await pool.MapUnorderedAsync(Maths.AddAsync, AsyncItems(), AsyncItems()).ToListWithin()).Order());
        Assert.Equal(sums, (await pool.MapUnorderedAsync(Maths.AddValueTaskAsync, Items, Items).ToListWithin()).Order());

        // Zipped: the shorter source ends the map.
        Assert.Equal([0, 2, 4], await pool.MapAsync(Maths.AddWithToken, AsyncItems(), AsyncItems().Take(3)).ToListWithin());
    }

    [Fact]
    public async Task Async_sources_take_async_functions()
    {
        await using var pool = Pools.Create(workers: 2);
        var squares = Items.Select(x => x * x).ToList();

        Assert.Equal(squares, await pool.MapAsync(Maths.SquareAsync, AsyncItems()).ToListWithin());
        Assert.Equal(squares, (await pool.MapUnorderedAsync(Maths.SquareAsync, AsyncItems()).ToListWithin()).Order());
        Assert.Equal(squares, await pool.MapAsync(Transit.SquareValueTaskAsync, AsyncItems()).ToListWithin());
        Assert.Equal(squares, (await pool.MapUnorderedAsync(Transit.SquareValueTaskAsync, AsyncItems()).ToListWithin()).Order());
    }

    [Fact]
    public async Task Blocking_forms_take_every_function_shape()
    {
        await using var pool = Pools.Create(workers: 2);
        var squares = Items.Select(x => x * x).ToList();
        var sums = Items.Select(x => x + x).ToList();

        var results = await Task.Run(() => new
        {
            Async = pool.Map(Maths.SquareAsync, Items).ToList(),
            Token = pool.Map(Maths.SquareWithToken, Items).ToList(),
            AsyncToken = pool.Map(Maths.SlowAsync, Items).ToList(),
            Unordered = pool.MapUnordered(Maths.Square, Items).Order().ToList(),
            Pairs = pool.Map(Maths.AddWithToken, Items, Items).ToList(),
            UnorderedPairs = pool.MapUnordered(Maths.AddAsync, Items, Items).Order().ToList(),
        }).Within();

        Assert.Equal(squares, results.Async);
        Assert.Equal(squares, results.Token);
        Assert.Equal(Items.Select(x => x * 2), results.AsyncToken);
        Assert.Equal(squares, results.Unordered);
        Assert.Equal(sums, results.Pairs);
        Assert.Equal(sums, results.UnorderedPairs);
    }

    private static async IAsyncEnumerable<int> AsyncItems()
    {
        foreach (int item in Items)
        {
            await Task.Yield();
            yield return item;
        }
    }
}

using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>Functions that return a ValueTask run like those that return a Task.</summary>
public sealed class ValueTaskTests
{
    [Fact]
    public async Task A_value_task_function_returns_its_result()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(49, await pool.SubmitAsync(Transit.SquareValueTaskAsync, 7).Within());
        Assert.Equal(36, await pool.SubmitAsync(Transit.SquareSynchronousValueTask, 6).Within());
        Assert.Equal(9, await pool.SubmitAsync(Transit.SquareValueTaskAsync, 3, new TaskOptions { Timeout = TimeSpan.FromMinutes(1) }).Within());
    }

    [Fact]
    public async Task A_value_task_lambda_and_a_cancellable_one_run()
    {
        await using var pool = Pools.Create(workers: 1);
        int factor = 5;
        Assert.Equal(10, await pool.SubmitAsync(async ValueTask<int> () =>
        {
            await Task.Yield();
            return factor * 2;
        }).Within());
        Assert.Equal(20, await pool.SubmitAsync(Transit.DelayValueTaskAsync, 20).Within());
    }

    [Fact]
    public async Task A_non_generic_value_task_function_completes_after_it_ran()
    {
        await using var pool = Pools.Create(workers: 1);
        string path = Path.Combine(Path.GetTempPath(), $"pp-valuetask-{Guid.NewGuid():N}");
        try
        {
            await pool.SubmitAsync(Transit.TouchValueTaskAsync, path).Within();
            Assert.Equal("touched", await File.ReadAllTextAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Map_and_map_unordered_take_value_task_functions()
    {
        await using var pool = Pools.Create(workers: 2);
        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), await pool.MapAsync(Transit.SquareValueTaskAsync, Enumerable.Range(0, 50)).ToListWithin());
        var unordered = await pool.MapUnorderedAsync(Transit.SquareValueTaskAsync, Enumerable.Range(0, 50)).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), unordered.Order());
    }
}

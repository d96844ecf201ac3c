using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

public sealed class ApiShapeTests
{
    /// <summary>The call shapes the issue promises, written exactly as a user would.</summary>
    [Fact]
    public async Task The_documented_call_shapes_compile_and_work()
    {
        int captured = 6;
        using var cts = new CancellationTokenSource();
        var xs = new List<int> { 1, 2, 3 };
        var ys = new[] { 10, 20, 30 };
        var items = Enumerable.Range(0, 20).ToList();

        await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, WorkerOutput = TextWriter.Null });
        int a = await pool.SubmitAsync(Maths.Square, 7);
        int b = await pool.SubmitAsync(() => Maths.Square(captured));
        int c = await pool.SubmitAsync(Maths.SlowAsync, 5, cts.Token);
        await pool.SubmitAsync(Console.WriteLine, "hi");
        var squares = new List<int>();
        await foreach (var r in pool.MapAsync(Maths.Square, Enumerable.Range(0, 1000)))
        {
            squares.Add(r);
        }

        var sums = new List<int>();
        await foreach (var r in pool.MapAsync(Maths.Add, xs, ys))
        {
            sums.Add(r);
        }

        var unordered = new List<int>();
        await foreach (var r in pool.MapUnorderedAsync(Maths.Square, items))
        {
            unordered.Add(r);
        }

        var blocking = new List<int>();
        foreach (var r in pool.Map(Maths.Square, items, new MapOptions { Timeout = TimeSpan.FromSeconds(60) }))
        {
            blocking.Add(r);
        }

        IReadOnlyList<WorkerInfo> ws = pool.Workers;
        await ShutDown(pool);

        Assert.Equal((49, 36, 10), (a, b, c));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => i * i), squares);
        Assert.Equal(new[] { 11, 22, 33 }, sums);
        Assert.Equal(items.Select(i => i * i), unordered.Order());
        Assert.Equal(items.Select(i => i * i), blocking);
        Assert.InRange(ws.Count, 1, 2);
        Assert.All(ws, w => Assert.True(w.ProcessId > 0));
        Assert.True(ws.Sum(w => w.TasksCompleted) > 0); // a worker started for a burst may have found no work left
        Assert.Empty(pool.Workers);

        // Through the interface, as another backend would be used.
        static Task ShutDown(IExecutor executor) => executor.ShutdownAsync(wait: true, cancelPending: false).Within();
    }
}

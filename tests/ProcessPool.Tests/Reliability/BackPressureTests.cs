using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Reliability;

public sealed class BackPressureTests
{
    [Fact]
    public async Task Tasks_beyond_the_queue_bound_wait_for_room_in_order_and_can_be_withdrawn()
    {
        await using var pool = Pools.Create(workers: 1, o => o.MaxQueuedTasks = 2);
        using var signal = new TestSignal();
        var blocker = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();

        using var cts = new CancellationTokenSource();
        var order = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var tasks = Enumerable.Range(0, 6).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();
        var withdrawn = pool.SubmitAsync(Maths.Square, 100, cts.Token);
        Assert.Equal(2, pool.QueuedTasks);
        Assert.Equal(5, pool.TasksWaitingForRoom);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn.Within());
        Assert.Equal(4, pool.TasksWaitingForRoom);

        signal.ReleaseAll();
        await blocker.Within();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => i * i), await Task.WhenAll(tasks).Within());
        Assert.Equal(0, pool.QueuedTasks + pool.TasksWaitingForRoom);
    }

    [Fact]
    public async Task A_map_longer_than_the_queue_bound_still_completes()
    {
        await using var pool = Pools.Create(workers: 2, o => o.MaxQueuedTasks = 1);
        var results = await pool.MapAsync(Maths.Square, Enumerable.Range(0, 5000), new MapOptions { ChunkSize = 3 }).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i * i), results);
    }
}

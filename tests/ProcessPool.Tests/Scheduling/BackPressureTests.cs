using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Back-pressure (<see cref="ProcessPoolOptions.MaxQueuedTasks"/>) with real worker processes. On fake
/// workers: <see cref="CallQueueTests"/>.
/// </summary>
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
        // The worker's window may already hold a call or two behind the blocker; the rest wait.
        Assert.Equal(2, pool.QueuedTasks);
        Assert.Equal(7, Pending(pool));

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn.Within());
        Assert.Equal(6, Pending(pool));

        signal.ReleaseAll();
        await blocker.Within();
        Assert.Equal(Enumerable.Range(0, 6).Select(i => i * i), await Task.WhenAll(tasks).Within());
        Assert.Equal(0, pool.QueuedTasks + pool.TasksWaitingForRoom);
    }

    /// <summary>Tasks not yet finished besides the blocker: sent to the worker, queued, or waiting for room.</summary>
    private static int Pending(ProcessPoolExecutor pool) => pool.QueuedTasks + pool.TasksWaitingForRoom + pool.Workers.Sum(w => w.TasksInFlight) - 1;

    [Fact]
    public async Task A_producer_waiting_for_room_is_held_back_until_the_queue_drains()
    {
        await using var pool = Pools.Create(workers: 1, o => o.MaxQueuedTasks = 2);
        using var signal = new TestSignal();
        var blocker = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();
        await pool.WaitForQueueRoomAsync().Within(); // room: nothing queued yet
        // Three: the worker's window may take one of them behind the blocker, and the queue still fills.
        var queued = new[] { pool.SubmitAsync(Maths.Square, 1), pool.SubmitAsync(Maths.Square, 2), pool.SubmitAsync(Maths.Square, 3) };

        var room = pool.WaitForQueueRoomAsync();
        using var cts = new CancellationTokenSource();
        var abandoned = pool.WaitForQueueRoomAsync(cts.Token);
        Assert.False(room.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.Within());
        Assert.False(room.IsCompleted);

        signal.ReleaseAll();
        await room.Within();
        Assert.Equal(new[] { 1, 4, 9 }, await Task.WhenAll(queued).Within());
        await blocker.Within();
    }

    [Fact]
    public async Task Waiting_for_room_ends_when_the_pool_shuts_down()
    {
        var pool = Pools.Create(workers: 1, o => o.MaxQueuedTasks = 1);
        using var signal = new TestSignal();
        var blocker = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();
        var queued = new[] { pool.SubmitAsync(Maths.Square, 1), pool.SubmitAsync(Maths.Square, 2) }; // one may sit in the worker's window
        var room = pool.WaitForQueueRoomAsync();

        var shutdown = pool.ShutdownAsync(wait: true, cancelPending: true);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => room.Within());
        signal.ReleaseAll();
        await shutdown.Within();
        Assert.Contains(queued, t => t.IsCanceled);
    }

    [Fact]
    public async Task A_small_queue_bound_still_lets_every_worker_run()
    {
        await using var pool = Pools.Create(workers: 2, o => o.MaxQueuedTasks = 1);
        using var signal = new TestSignal();
        var first = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        var second = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);

        int[] pids = [await signal.WaitForStartAsync(), await signal.WaitForStartAsync()]; // both run at once
        Assert.NotEqual(pids[0], pids[1]);
        signal.ReleaseAll();
        await Task.WhenAll(first, second).Within();
    }

    [Fact]
    public async Task A_map_longer_than_the_queue_bound_still_completes()
    {
        await using var pool = Pools.Create(workers: 2, o => o.MaxQueuedTasks = 1);
        var results = await pool.MapAsync(Maths.Square, Enumerable.Range(0, 5000), new MapOptions { ChunkSize = 3 }).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i * i), results);
    }
}

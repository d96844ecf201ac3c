using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Submit_after_shutdown_throws_ObjectDisposedException_at_the_call()
    {
        var pool = Pools.Create();
        await pool.ShutdownAsync().Within();
        Assert.Throws<ObjectDisposedException>(() => { _ = pool.SubmitAsync(Maths.Square, 1); });
        Assert.Throws<ObjectDisposedException>(() => pool.MapAsync(Maths.Square, new[] { 1 }));
    }

    [Fact]
    public async Task Shutdown_with_wait_lets_running_work_finish_then_ends_the_workers()
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var running = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        int pid = await signal.WaitForStartAsync();

        var shutdown = pool.ShutdownAsync(wait: true);
        Assert.False(shutdown.IsCompleted);
        signal.ReleaseAll();
        await shutdown.Within();

        Assert.Equal(pid, await running.Within());
        Assert.False(Processes.IsAlive(pid));
        Assert.Empty(pool.Workers);
    }

    [Fact]
    public async Task Shutdown_without_wait_returns_at_once_and_queued_work_still_runs()
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var running = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        int pid = await signal.WaitForStartAsync();
        var queued = Enumerable.Range(0, 5).Select(i => pool.SubmitAsync(Maths.Square, i)).ToArray();

        var shutdown = pool.ShutdownAsync(wait: false);
        Assert.True(shutdown.IsCompleted);

        signal.ReleaseAll();
        Assert.Equal(pid, await running.Within());
        Assert.Equal(new[] { 0, 1, 4, 9, 16 }, await Task.WhenAll(queued).Within());
        await pool.DisposeAsync().AsTask().Within();
        Assert.False(Processes.IsAlive(pid));
    }

    [Fact]
    public async Task Shutdown_with_cancelPending_cancels_what_has_not_started()
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var running = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();
        var queued = Enumerable.Range(0, 5).Select(i => pool.SubmitAsync(Maths.Square, i)).ToArray();

        var shutdown = pool.ShutdownAsync(wait: true, cancelPending: true);
        foreach (var task in queued)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        }

        Assert.False(running.IsCompleted);
        signal.ReleaseAll();
        await shutdown.Within();
        Assert.True(running.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DisposeAsync_waits_for_running_work()
    {
        var pool = Pools.Create(workers: 2);
        var results = Enumerable.Range(0, 20).Select(i => pool.SubmitAsync(Maths.Spin, 200_000 + i)).ToArray();
        await pool.DisposeAsync().AsTask().Within();
        Assert.All(results, t => Assert.True(t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task Shutdown_twice_and_dispose_after_shutdown_are_harmless()
    {
        var pool = Pools.Create();
        Assert.Equal(1, await pool.SubmitAsync(Maths.Square, 1).Within());
        var pids = pool.Workers.Select(w => w.ProcessId).ToArray();
        await pool.ShutdownAsync().Within();
        await pool.ShutdownAsync().Within();
        await pool.DisposeAsync().AsTask().Within();
        pool.Dispose();
        Assert.All(pids, pid => Assert.False(Processes.IsAlive(pid)));
    }

    [Fact]
    public async Task A_pool_that_never_ran_anything_shuts_down_at_once()
    {
        var pool = Pools.Create();
        await pool.ShutdownAsync().Within();
        Assert.Empty(pool.Workers);
    }

    [Fact]
    public async Task A_pool_dropped_without_dispose_ends_its_workers_when_collected()
    {
        int[] pids = await UseAndDropAsync();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.True(await Processes.WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(10)), "the workers of a collected pool kept running");

        static async Task<int[]> UseAndDropAsync()
        {
            var pool = Pools.Create(workers: 2);
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => pool.SubmitAsync(Maths.Spin, 100_000))).Within();
            return [.. pool.Workers.Select(w => w.ProcessId)];
        }
    }
}

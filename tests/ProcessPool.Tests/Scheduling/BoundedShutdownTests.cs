using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

public sealed class BoundedShutdownTests
{
    [Fact]
    public async Task Shutdown_with_a_timeout_cancels_then_kills_a_task_that_never_ends()
    {
        var pool = Pools.Create(workers: 1, o => o.KillGracePeriod = TimeSpan.FromMilliseconds(200));
        using var signal = new TestSignal();
        var spinning = pool.SubmitAsync(Runaway.Spin, signal.Path);
        var queued = pool.SubmitAsync(Maths.Square, 3);
        int pid = await signal.WaitForStartAsync();

        await pool.ShutdownAsync(TimeSpan.FromMilliseconds(300)).Within();

        Assert.True(spinning.IsCanceled);
        Assert.True(queued.IsCanceled);
        Assert.False(Processes.IsAlive(pid));
    }

    [Fact]
    public async Task Shutdown_completes_only_after_every_task_has_ended()
    {
        for (int round = 0; round < 5; round++)
        {
            var pool = Pools.Create(workers: 2);
            var tasks = Enumerable.Range(0, 2000).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();
            var canceled = pool.SubmitAsync(Runaway.SleepThenReturnPid, 10);
            await pool.ShutdownAsync(wait: true).Within();
            Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
            Assert.True(canceled.IsCompleted);
        }
    }

    [Fact]
    public async Task Shutdown_with_a_timeout_lets_work_that_finishes_in_time_complete()
    {
        var pool = Pools.Create(workers: 1);
        var task = pool.SubmitAsync(Runaway.SleepThenReturnPid, 200);
        await pool.ShutdownAsync(TimeSpan.FromSeconds(30)).Within();
        Assert.True(task.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_task_that_honours_its_token_ends_cancelled_at_shutdown_without_a_kill()
    {
        var pool = Pools.Create(workers: 1, o => o.KillGracePeriod = TimeSpan.FromSeconds(30));
        using var signal = new TestSignal();
        var task = pool.SubmitAsync(Runaway.StopWhenCancelled, signal.Path, CancellationToken.None);
        await signal.WaitForStartAsync();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await pool.ShutdownAsync(TimeSpan.FromMilliseconds(100)).Within();

        Assert.True(task.IsCanceled);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), "the worker was killed after the grace period instead of stopping when asked");
    }

    [Fact]
    public async Task KillWorkers_ends_every_worker_at_once_and_cancels_all_work()
    {
        var pool = Pools.Create(workers: 2, o => o.KillGracePeriod = TimeSpan.FromSeconds(30));
        using var signal = new TestSignal();
        var running = new[] { pool.SubmitAsync(Runaway.Spin, signal.Path), pool.SubmitAsync(Runaway.Spin, signal.Path) };
        int[] pids = [await signal.WaitForStartAsync(), await signal.WaitForStartAsync()];
        var queued = pool.SubmitAsync(Maths.Square, 2);

        pool.KillWorkers();

        await pool.ShutdownAsync().Within();
        Assert.All(running, t => Assert.True(t.IsCanceled));
        Assert.True(queued.IsCanceled);
        Assert.All(pids, pid => Assert.False(Processes.IsAlive(pid)));
        Assert.Throws<ObjectDisposedException>(() => { _ = pool.SubmitAsync(Maths.Zero); });
    }

    [Fact]
    public async Task KillWorkers_ends_a_map_that_has_a_timeout_cancelled_not_timed_out()
    {
        await using var pool = Pools.Create(workers: 1, o => o.KillGracePeriod = TimeSpan.FromSeconds(30));
        using var signal = new TestSignal();
        var map = pool.MapAsync(Runaway.Spin, [signal.Path, signal.Path], new MapOptions { Timeout = TimeSpan.FromMinutes(5) }).ToListWithin();
        await signal.WaitForStartAsync();

        pool.KillWorkers();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map);
    }

    [Fact]
    public async Task TerminateWorkers_asks_workers_to_leave_and_kills_those_that_do_not()
    {
        var pool = Pools.Create(workers: 1, o => o.KillGracePeriod = TimeSpan.FromMilliseconds(300));
        using var signal = new TestSignal();
        var running = pool.SubmitAsync(Runaway.Spin, signal.Path);
        int pid = await signal.WaitForStartAsync();

        pool.TerminateWorkers();

        await pool.ShutdownAsync().Within();
        Assert.True(running.IsCanceled);
        Assert.False(Processes.IsAlive(pid));
    }

    [Fact]
    public async Task KillWorkers_on_an_idle_pool_leaves_no_process()
    {
        var pool = Pools.Create(workers: 2);
        var pids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i))).Within();
        pool.KillWorkers();
        await pool.ShutdownAsync().Within();
        Assert.All(pids.Distinct(), pid => Assert.False(Processes.IsAlive(pid)));
    }
}

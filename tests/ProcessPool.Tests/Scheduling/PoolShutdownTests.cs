using ProcessPool.Scheduling;
using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Shutdown and its escalation (signal, terminate, kill), with fake workers and a fake clock. The same
/// behaviour with real worker processes: <see cref="ShutdownTests"/>.
/// </summary>
public sealed class PoolShutdownTests
{
    [Fact]
    public async Task Shutdown_waits_for_running_calls_then_tells_the_workers_to_leave()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var task = pool.Submit();
        var worker = pool.Workers[0];
        var closed = pool.Scheduler.ShutdownAsync(cancelPending: false);
        Assert.False(worker.ShutdownRequested);
        Assert.Throws<ObjectDisposedException>(() => { _ = pool.Submit(); });

        worker.Answer(worker.CallId(0), 1);
        Assert.Equal(1, await task.Within());
        await closed.Within();
        Assert.True(worker.ShutdownRequested);
        Assert.False(worker.Killed);
        Assert.True(pool.Workers.Disposed);
    }

    [Fact]
    public async Task A_worker_that_does_not_leave_when_told_is_killed_after_the_exit_grace_period()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.IgnoresShutdown = true;
        worker.Answer(worker.CallId(0), 1);
        var closed = pool.Scheduler.ShutdownAsync(cancelPending: false);
        await FakePool.Until(() => worker.ShutdownRequested, "the worker was told to leave");

        pool.Advance(PoolShutdown.ExitGracePeriod - TimeSpan.FromSeconds(1));
        Assert.False(worker.Killed);
        await pool.PassTimeUntil(closed);
        Assert.True(worker.Killed);
    }

    [Fact]
    public async Task Cancelling_pending_calls_at_shutdown_withdraws_those_not_started()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var running = pool.Submit();
        var sentNotStarted = pool.Submit();
        var queued = Enumerable.Range(0, 3).Select(_ => pool.Submit()).ToList(); // beyond the window of two
        var worker = pool.Workers[0];

        var closed = pool.Scheduler.ShutdownAsync(cancelPending: true);
        foreach (var task in queued)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        }

        Assert.Equal([worker.CallId(0), worker.CallId(1)], worker.Withdrawn);
        worker.AnswerCanceled(worker.CallId(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sentNotStarted.Within());
        worker.Answer(worker.CallId(0), 1); // a running call may finish
        Assert.Equal(1, await running.Within());
        await closed.Within();
    }

    [Fact]
    public async Task A_bounded_shutdown_signals_what_still_runs_when_time_is_up_then_kills_it()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.KillGracePeriod) = (1, TimeSpan.FromSeconds(2)));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        var closed = pool.Scheduler.ShutdownAsync(cancelPending: false, TimeSpan.FromSeconds(10));

        pool.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(worker.Canceled);
        pool.Advance(TimeSpan.FromSeconds(1.1));
        await FakePool.Until(() => worker.Canceled.Count == 1, "the running call was signalled");
        Assert.False(worker.Killed);
        Assert.True(pool.Scheduler.IsAborted);

        await pool.PassTimeUntil(closed);
        Assert.True(worker.Killed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
    }

    [Fact]
    public async Task Terminate_asks_every_worker_to_end_and_kills_those_still_there_after_the_grace_period()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.KillGracePeriod) = (2, TimeSpan.FromSeconds(3)));
        var tasks = new[] { pool.Submit(), pool.Submit() };
        var (polite, stubborn) = (pool.Workers[0], pool.Workers[1]);
        stubborn.IgnoresShutdown = true;

        var closed = pool.Scheduler.Abort(AbortMode.Terminate);
        Assert.True(polite.Terminated);
        Assert.True(stubborn.Terminated);
        Assert.True(polite.IsGone);
        Assert.False(stubborn.Killed);
        pool.Advance(TimeSpan.FromSeconds(3.1));
        await FakePool.Until(() => stubborn.Killed, "the stubborn worker was killed");
        await closed.Within();
        foreach (var task in tasks)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within()); // killed by the pool: cancelled, not crashed
        }
    }

    [Fact]
    public async Task Kill_ends_every_worker_at_once_and_its_calls_end_cancelled()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        var tasks = new[] { pool.Submit(), pool.Submit() };
        var closed = pool.Scheduler.Abort(AbortMode.Kill);
        Assert.All(pool.Workers.Started, w => Assert.True(w.Killed));
        Assert.True(pool.Workers.KilledStarting);
        await closed.Within();
        foreach (var task in tasks)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        }
    }
}

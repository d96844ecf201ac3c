using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Task timeouts, their escalation to a kill, kill-mode cancellation and idle workers, on a fake clock.
/// With real worker processes: <see cref="TimeoutTests"/> (kill-mode cancellation:
/// Executor/CancellationTests; idle workers: <see cref="RecyclingTests"/>).
/// </summary>
public sealed class DeadlinesTests
{
    [Fact]
    public async Task A_call_past_its_timeout_is_signalled_then_its_worker_is_killed_after_the_grace_period()
    {
        await using var pool = new FakePool(o => o.KillGracePeriod = TimeSpan.FromSeconds(2));
        var task = pool.Submit(new TaskOptions { Timeout = TimeSpan.FromSeconds(10) });
        var worker = pool.Workers[0];
        long id = worker.CallId(0);

        pool.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Empty(worker.Canceled);

        pool.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal([id], worker.Canceled); // its token is signalled first
        Assert.False(worker.Killed);

        pool.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(worker.Killed);
        pool.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(worker.Killed);

        var timeout = await Assert.ThrowsAsync<TaskTimeoutException>(() => task.Within());
        Assert.True(timeout.WorkerKilled);
        Assert.Equal(TimeSpan.FromSeconds(10), timeout.Timeout);
    }

    [Fact]
    public async Task A_call_that_stops_when_signalled_times_out_without_a_kill()
    {
        await using var pool = new FakePool();
        var task = pool.Submit(new TaskOptions { Timeout = TimeSpan.FromSeconds(1) });
        var worker = pool.Workers[0];
        pool.Advance(TimeSpan.FromSeconds(1.1));
        worker.AnswerCanceled(worker.CallId(0));

        var timeout = await Assert.ThrowsAsync<TaskTimeoutException>(() => task.Within());
        Assert.False(timeout.WorkerKilled);
        pool.Advance(TimeSpan.FromMinutes(1));
        Assert.False(worker.Killed);
    }

    [Fact]
    public async Task A_timeout_counts_from_the_start_of_the_call_not_from_its_submission()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var first = pool.Submit();
        var second = pool.Submit(new TaskOptions { Timeout = TimeSpan.FromSeconds(5) });
        var worker = pool.Workers[0];
        Assert.Equal(2, worker.Sent.Count); // the window holds both; the second waits behind the first

        pool.Advance(TimeSpan.FromSeconds(30)); // the first runs long; the second has not started
        Assert.Empty(worker.Canceled);
        worker.Answer(worker.CallId(0), 1);
        Assert.Equal(1, await first.Within());

        pool.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Empty(worker.Canceled);
        pool.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal([worker.CallId(1)], worker.Canceled);
        worker.AnswerCanceled(worker.CallId(1));
        await Assert.ThrowsAsync<TaskTimeoutException>(() => second.Within());
    }

    [Fact]
    public async Task Cancelling_a_running_call_in_kill_mode_kills_its_worker_after_the_grace_period()
    {
        await using var pool = new FakePool(o => o.KillGracePeriod = TimeSpan.FromSeconds(3));
        using var cancel = new CancellationTokenSource();
        var task = pool.Submit(new TaskOptions { CancellationMode = CancellationMode.Kill }, cancel.Token);
        var worker = pool.Workers[0];

        cancel.Cancel();
        Assert.Equal([worker.CallId(0)], worker.Canceled);
        pool.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(worker.Killed);
        pool.Advance(TimeSpan.FromSeconds(0.2));
        Assert.True(worker.Killed);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        await FakePool.Until(() => pool.Workers.Started.Count == 2, "a replacement started");
    }

    [Fact]
    public async Task Cancelling_a_running_call_cooperatively_never_kills_its_worker()
    {
        await using var pool = new FakePool();
        using var cancel = new CancellationTokenSource();
        var task = pool.Submit(new TaskOptions { CancellationMode = CancellationMode.Signal }, cancel.Token);
        var worker = pool.Workers[0];

        cancel.Cancel();
        pool.Advance(TimeSpan.FromMinutes(10));
        Assert.False(worker.Killed);
        worker.AnswerCanceled(worker.CallId(0));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
    }

    [Fact]
    public async Task A_worker_idle_for_the_idle_timeout_is_told_to_leave()
    {
        await using var pool = new FakePool(o => o.WorkerIdleTimeout = TimeSpan.FromSeconds(30));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        pool.Advance(TimeSpan.FromSeconds(40)); // busy time does not count
        worker.Answer(worker.CallId(0), 7);
        Assert.Equal(7, await task.Within());

        pool.Advance(TimeSpan.FromSeconds(29));
        Assert.False(worker.ShutdownRequested);
        pool.Advance(TimeSpan.FromSeconds(2));
        Assert.True(worker.ShutdownRequested);
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 0, "the idle worker left");
    }
}

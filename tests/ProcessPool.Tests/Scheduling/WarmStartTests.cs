using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Starting workers ahead of the first task: <see cref="ProcessPoolOptions.MinWorkers"/> and
/// <see cref="ProcessPoolExecutor.StartAsync"/> (the scheduler's <c>StartAsync</c>), with fake workers.
/// </summary>
public sealed class WarmStartTests
{
    [Fact]
    public async Task StartAsync_starts_every_worker_and_completes_when_all_are_ready()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 3);
        pool.Workers.Hold = true;
        var ready = pool.Scheduler.StartAsync(3, CancellationToken.None);
        Assert.Equal(3, pool.Workers.Held);

        pool.Workers.Release();
        pool.Workers.Release();
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 2, "two workers took their place");
        Assert.False(ready.IsCompleted);

        pool.Workers.Release();
        await ready.Within();
        Assert.Equal(3, pool.Scheduler.Workers.Count);
    }

    [Fact]
    public async Task StartAsync_again_starts_only_the_missing_workers()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        _ = pool.Submit(); // one worker on demand
        Assert.Equal(1, pool.Workers.StartsRequested);

        await pool.Scheduler.StartAsync(2, CancellationToken.None).Within();
        await pool.Scheduler.StartAsync(2, CancellationToken.None).Within();
        Assert.Equal(2, pool.Workers.StartsRequested);
    }

    [Fact]
    public async Task MinWorkers_start_with_the_pool_before_any_task()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.MinWorkers) = (4, 2));
        Assert.Equal(2, pool.Workers.StartsRequested);
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 2, "the two workers took their place");
    }

    [Fact]
    public async Task The_idle_timeout_retires_workers_beyond_MinWorkers_only()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.MinWorkers, o.WorkerIdleTimeout) = (3, 1, TimeSpan.FromSeconds(10)));
        await pool.Scheduler.StartAsync(3, CancellationToken.None).Within();

        pool.Advance(TimeSpan.FromSeconds(11));
        await FakePool.Until(() => pool.Workers.Started.Count(w => w.ShutdownRequested) == 2, "two idle workers were retired");
        pool.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(pool.Workers.Started, w => !w.ShutdownRequested);
        Assert.Single(pool.Scheduler.Workers);
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_StartAsync_and_the_pool_goes_on()
    {
        await using var pool = new FakePool();
        pool.Workers.FailStartsWith = new WorkerStartException("no room for another process");
        var error = await Assert.ThrowsAsync<WorkerStartException>(() => pool.Scheduler.StartAsync(2, CancellationToken.None).Within());
        Assert.Equal("no room for another process", error.Message);

        pool.Workers.FailStartsWith = null;
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.Answer(worker.CallId(0), 7);
        Assert.Equal(7, await task.Within());
    }

    [Fact]
    public async Task A_broken_pool_fails_StartAsync_with_the_initializer_error()
    {
        await using var pool = new FakePool();
        pool.Workers.FailStartsWith = new WorkerInitializationException("the initializer threw", null);
        await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.Scheduler.StartAsync(2, CancellationToken.None).Within());
        var again = await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.Scheduler.StartAsync(2, CancellationToken.None).Within());
        Assert.Equal("the initializer threw", again.Message);
    }

    [Fact]
    public async Task Shutting_down_fails_a_waiting_StartAsync_and_refuses_a_new_one()
    {
        var pool = new FakePool();
        pool.Workers.Hold = true;
        var ready = pool.Scheduler.StartAsync(2, CancellationToken.None);
        var closed = pool.Scheduler.ShutdownAsync(cancelPending: false);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => ready.Within());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.Scheduler.StartAsync(2, CancellationToken.None));
        pool.Workers.Release();
        pool.Workers.Release(); // workers that finish starting after the shutdown are told to leave
        await pool.PassTimeUntil(closed);
        Assert.All(pool.Workers.Started, w => Assert.True(w.ShutdownRequested));
        await pool.DisposeAsync();
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_but_not_the_workers()
    {
        await using var pool = new FakePool();
        pool.Workers.Hold = true;
        using var cancel = new CancellationTokenSource();
        var ready = pool.Scheduler.StartAsync(2, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ready.Within());

        pool.Workers.Release();
        pool.Workers.Release();
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 2, "both workers still started");
        Assert.True(pool.Scheduler.StartAsync(2, cancel.Token).IsCompletedSuccessfully); // ready: no wait, so nothing to cancel
    }

    [Fact]
    public async Task StartAsync_completes_when_its_starts_are_done_though_a_ready_worker_was_retired_meanwhile()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.WorkerIdleTimeout) = (2, TimeSpan.FromSeconds(10)));
        pool.Workers.Hold = true;
        var ready = pool.Scheduler.StartAsync(2, CancellationToken.None);
        pool.Workers.Release();
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 1, "the first worker took its place");
        pool.Advance(TimeSpan.FromSeconds(11)); // idle past the timeout while the second is still starting
        await FakePool.Until(() => pool.Workers[0].IsGone, "the first worker was retired");

        pool.Workers.Release();
        await ready.Within(); // one worker takes calls now, not two: the wait is over all the same
        Assert.Single(pool.Scheduler.Workers);
    }

    [Fact]
    public async Task StartAsync_completes_though_ready_workers_crashed_until_the_pool_stopped_replacing_them()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        pool.Workers.Hold = true;
        var ready = pool.Scheduler.StartAsync(2, CancellationToken.None);
        for (int i = 0; i < 3; i++) // three workers that die before doing anything: the pool stops replacing them
        {
            pool.Workers.Release();
            await FakePool.Until(() => pool.Scheduler.Workers.Count == 1, "a worker took its place");
            pool.Workers.Started[i].Crash();
            await FakePool.Until(() => pool.Scheduler.Workers.Count == 0, "it died");
        }

        pool.Workers.Release();
        await FakePool.Until(() => pool.Scheduler.Workers.Count == 1, "the last worker took its place");
        await ready.Within(); // never two at once, yet every start the wait began with is done
    }

    [Fact]
    public void MinWorkers_is_checked_against_MaxWorkers()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { MinWorkers = -1 });
        var error = Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2, MinWorkers = 3 }));
        Assert.Contains("MinWorkers (3) cannot be more than MaxWorkers (2)", error.Message, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Time.Testing;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Task and map timeouts with real worker processes. The same policy on fake workers and a fake clock:
/// <see cref="DeadlinesTests"/>.
/// </summary>
public sealed class TimeoutTests
{
    // Long enough for a loaded machine to start the task's code; the tests warm their workers first too,
    // because the clock starts when a call is sent to an idle worker, first-call costs included.
    private static readonly TaskOptions Short = new() { Timeout = TimeSpan.FromSeconds(1.5), KillGracePeriod = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task An_infinite_loop_is_stopped_by_its_timeout_its_worker_killed_and_the_pool_keeps_serving()
    {
        await using var pool = Pools.Create(workers: 2);
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var spinning = pool.SubmitAsync(Runaway.Spin, signal.Path, Short);
        int pid = await signal.WaitForStartAsync();

        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => spinning.Within());
        Assert.True(error.WorkerKilled);
        Assert.Equal(pid, error.ProcessId);
        Assert.Equal(TimeSpan.FromSeconds(1.5), error.Timeout);
        Assert.Contains($"pid {pid}", error.Message);
        Assert.True(await Processes.WaitUntilGoneAsync([pid], Bounded.Timeout));

        var pids = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i))).Within();
        Assert.DoesNotContain(pid, pids);
    }

    [Fact]
    public async Task Timeouts_keep_the_time_of_the_pools_TimeProvider()
    {
        var time = new FakeTimeProvider();
        await using var pool = Pools.Create(workers: 1, o => o.TimeProvider = time);
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var spinning = pool.SubmitAsync(Runaway.Spin, signal.Path, new TaskOptions { Timeout = TimeSpan.FromMinutes(10), KillGracePeriod = TimeSpan.FromMinutes(1) });
        int pid = await signal.WaitForStartAsync();
        Assert.False(spinning.IsCompleted); // real time passes; the pool's clock does not

        time.Advance(TimeSpan.FromMinutes(10.1)); // its token is signalled: it ignores it
        time.Advance(TimeSpan.FromMinutes(1.1)); // the grace period is over: its worker is killed
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => spinning.Within());
        Assert.True(error.WorkerKilled);
        Assert.Equal(pid, error.ProcessId);
        Assert.Equal(49, await pool.SubmitAsync(Maths.Square, 7).Within());
    }

    [Fact]
    public async Task A_task_ignoring_its_token_and_a_deadlock_are_both_stopped()
    {
        await using var pool = Pools.Create(workers: 2);
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var deadlocked = pool.SubmitAsync(Runaway.Deadlock, signal.Path, Short);
        var spinning = pool.SubmitAsync(Runaway.Spin, signal.Path, Short);
        await signal.WaitForStartAsync();
        await signal.WaitForStartAsync();

        Assert.True((await Assert.ThrowsAsync<TaskTimeoutException>(() => deadlocked.Within())).WorkerKilled);
        Assert.True((await Assert.ThrowsAsync<TaskTimeoutException>(() => spinning.Within())).WorkerKilled);
        Assert.Equal(49, await pool.SubmitAsync(Maths.Square, 7).Within());
    }

    [Fact]
    public async Task A_task_that_stops_when_signalled_times_out_without_losing_its_worker()
    {
        await using var pool = Pools.Create(workers: 1);
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var task = pool.SubmitAsync(Runaway.StopWhenCancelled, signal.Path, CancellationToken.None, new TaskOptions { Timeout = TimeSpan.FromSeconds(1.5), KillGracePeriod = TimeSpan.FromSeconds(30) });
        int pid = await signal.WaitForStartAsync();

        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => task.Within());
        Assert.False(error.WorkerKilled);
        Assert.Equal(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public async Task The_timeout_counts_from_the_start_in_the_worker_not_from_submission()
    {
        await using var pool = Pools.Create(workers: 1);
        var first = pool.SubmitAsync(Runaway.SleepThenReturnPid, 1500);

        // Queued behind 1.5 s of work with a 1 s timeout: it would expire if the clock ran from here.
        var second = pool.SubmitAsync(Runaway.SleepThenReturnPid, 10, new TaskOptions { Timeout = TimeSpan.FromSeconds(1) });

        Assert.Equal(await first.Within(), await second.Within());
    }

    [Fact]
    public async Task Tasks_waiting_behind_a_timed_out_task_in_its_worker_are_unaffected()
    {
        await using var pool = Pools.Create(workers: 1);
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var spinning = pool.SubmitAsync(Runaway.Spin, signal.Path, Short);
        var behind = Enumerable.Range(0, 10).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();
        int pid = await signal.WaitForStartAsync();

        await Assert.ThrowsAsync<TaskTimeoutException>(() => spinning.Within());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * i), await Task.WhenAll(behind).Within());
        Assert.NotEqual(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public async Task The_pool_default_applies_and_a_task_can_lift_it()
    {
        await using var pool = Pools.Create(workers: 2, o => { o.TaskTimeout = TimeSpan.FromSeconds(1.5); o.KillGracePeriod = TimeSpan.FromMilliseconds(300); });
        await Pools.WarmAsync(pool);
        using var signal = new TestSignal();
        var limited = pool.SubmitAsync(Runaway.Spin, signal.Path);
        await signal.WaitForStartAsync();
        Assert.True((await Assert.ThrowsAsync<TaskTimeoutException>(() => limited.Within())).WorkerKilled);

        int pid = await pool.SubmitAsync(Runaway.SleepThenReturnPid, 2000, new TaskOptions { Timeout = Timeout.InfiniteTimeSpan }).Within();
        Assert.True(pid > 0);
    }

    [Fact]
    public async Task A_map_item_that_hangs_fails_with_TaskTimeoutException_in_its_turn_after_the_results_before_it()
    {
        await using var pool = Pools.Create(workers: 2);
        await Pools.WarmAsync(pool);
        var options = new MapOptions { TaskTimeout = TimeSpan.FromSeconds(1.5) };
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(async () =>
        {
            await foreach (int pid in pool.MapAsync(Runaway.SleepThenReturnPid, [1, 1, 1, 60_000, 1], options).WithCancellation(new CancellationTokenSource(Bounded.Timeout).Token))
            {
                results.Add(pid);
            }
        });

        Assert.Equal(3, results.Count);
        Assert.True(error.WorkerKilled);
    }

    [Fact]
    public async Task Unordered_map_yields_every_item_that_did_not_time_out()
    {
        await using var pool = Pools.Create(workers: 2, o => o.KillGracePeriod = TimeSpan.FromSeconds(5));
        await Pools.WarmAsync(pool);
        var options = new MapOptions { TaskTimeout = TimeSpan.FromSeconds(1.5) };
        var results = new List<int>();
        await Assert.ThrowsAsync<TaskTimeoutException>(async () =>
        {
            await foreach (int pid in pool.MapUnorderedAsync(Runaway.SleepThenReturnPid, [60_000, 1, 1, 1, 1], options).WithCancellation(new CancellationTokenSource(Bounded.Timeout).Token))
            {
                results.Add(pid);
            }
        });

        Assert.Equal(4, results.Count);
    }

    [Fact]
    public async Task With_an_explicit_chunk_size_a_chunk_gets_the_timeout_of_its_items_together()
    {
        await using var pool = Pools.Create(workers: 1);
        await Pools.WarmAsync(pool);
        var options = new MapOptions { ChunkSize = 2, TaskTimeout = TimeSpan.FromSeconds(1.5) };

        // Two items of 1 s each fit a chunk's 3 s; a chunk holding an item that hangs does not.
        Assert.Equal(2, (await pool.MapAsync(Runaway.SleepThenReturnPid, [1000, 1000], options).ToListWithin()).Count);
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => pool.MapAsync(Runaway.SleepThenReturnPid, [1, 60_000, 1, 1], options).ToListWithin());
        Assert.Equal(TimeSpan.FromSeconds(3), error.Timeout);
    }

    // The map's own Timeout, a deadline for the whole map (formerly in MapTests).
    [Fact]
    public async Task The_map_timeout_throws_TimeoutException_and_cancels_running_items()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var options = new MapOptions { Timeout = TimeSpan.FromMilliseconds(300), ChunkSize = 1 };

        // A token captured by the mapped lambda becomes the item's own token in the worker.
        var token = CancellationToken.None;
        var map = pool.MapAsync(path => Misbehaving.WaitForCancellationAsync(path, token).GetAwaiter().GetResult(), new[] { signal.Path }, options);
        await Assert.ThrowsAsync<TimeoutException>(() => map.ToListWithin());

        // The item saw its token cancelled and ended: the only worker serves again without anyone releasing it.
        Assert.Equal(9, await pool.SubmitAsync(Maths.Square, 3).Within());
    }

    [Fact]
    public async Task The_map_timeout_fires_even_when_a_running_item_ignores_cancellation()
    {
        await using var pool = Pools.Create(workers: 1);
        await pool.SubmitAsync(Maths.Zero).Within(); // a warm worker: the item starts well before the deadline
        using var signal = new TestSignal();
        var options = new MapOptions { Timeout = TimeSpan.FromMilliseconds(300), ChunkSize = 1 };
        await Assert.ThrowsAsync<TimeoutException>(() => pool.MapAsync(Misbehaving.SignalThenBlock, new[] { signal.Path }, options).ToListWithin());

        await signal.WaitForStartAsync(); // the item is still stuck in the only worker; let it go
        signal.ReleaseAll();
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within());
    }
}

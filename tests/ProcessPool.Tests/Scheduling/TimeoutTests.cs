using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

public sealed class TimeoutTests
{
    // Long enough for a loaded machine to start the task's code; the tests warm their workers first too,
    // because the clock starts when a call is sent to an idle worker, first-call costs included.
    private static readonly TaskOptions Short = new() { Timeout = TimeSpan.FromSeconds(1.5), KillGracePeriod = TimeSpan.FromMilliseconds(300) };

    /// <summary>Has every worker of the pool run a call, so first-call costs are paid before a timed call starts.</summary>
    private static async Task WarmAsync(ProcessPoolExecutor pool)
    {
        using var signal = new TestSignal();
        var calls = Enumerable.Range(0, pool.MaxWorkers).Select(_ => pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path)).ToList();
        for (int i = 0; i < calls.Count; i++)
        {
            await signal.WaitForStartAsync();
        }

        signal.ReleaseAll();
        await Task.WhenAll(calls).Within();
    }

    [Fact]
    public async Task An_infinite_loop_is_stopped_by_its_timeout_its_worker_killed_and_the_pool_keeps_serving()
    {
        await using var pool = Pools.Create(workers: 2);
        await WarmAsync(pool);
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
    public async Task A_task_ignoring_its_token_and_a_deadlock_are_both_stopped()
    {
        await using var pool = Pools.Create(workers: 2);
        await WarmAsync(pool);
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
        await WarmAsync(pool);
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
        await WarmAsync(pool);
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
        await WarmAsync(pool);
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
        await WarmAsync(pool);
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
        await WarmAsync(pool);
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
        await WarmAsync(pool);
        var options = new MapOptions { ChunkSize = 2, TaskTimeout = TimeSpan.FromSeconds(1.5) };

        // Two items of 1 s each fit a chunk's 3 s; a chunk holding an item that hangs does not.
        Assert.Equal(2, (await pool.MapAsync(Runaway.SleepThenReturnPid, [1000, 1000], options).ToListWithin()).Count);
        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => pool.MapAsync(Runaway.SleepThenReturnPid, [1, 60_000, 1, 1], options).ToListWithin());
        Assert.Equal(TimeSpan.FromSeconds(3), error.Timeout);
    }

    [Fact]
    public async Task Kill_mode_cancellation_ends_a_task_that_ignores_its_token()
    {
        await using var pool = Pools.Create(workers: 1);
        await WarmAsync(pool);
        using var signal = new TestSignal();
        using var cts = new CancellationTokenSource();
        var task = pool.SubmitAsync(Runaway.Spin, signal.Path, new TaskOptions { CancellationMode = CancellationMode.Kill, KillGracePeriod = TimeSpan.FromMilliseconds(200) }, cts.Token);
        int pid = await signal.WaitForStartAsync();

        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(await Processes.WaitUntilGoneAsync([pid], Bounded.Timeout));
        Assert.NotEqual(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public async Task Kill_mode_leaves_a_worker_whose_task_stops_within_the_grace_period()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        using var cts = new CancellationTokenSource();
        var task = pool.SubmitAsync(Runaway.StopWhenCancelled, signal.Path, CancellationToken.None, new TaskOptions { CancellationMode = CancellationMode.Kill, KillGracePeriod = TimeSpan.FromSeconds(30) }, cts.Token);
        int pid = await signal.WaitForStartAsync();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        Assert.Equal(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public void Bad_timeouts_are_rejected_naming_the_option()
    {
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { Timeout = TimeSpan.Zero }).ParamName);
        Assert.Equal("KillGracePeriod", Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { KillGracePeriod = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("TaskTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new MapOptions { TaskTimeout = TimeSpan.FromSeconds(-2) }).ParamName);
        Assert.Equal("TaskTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { TaskTimeout = TimeSpan.Zero }).ParamName);
    }
}

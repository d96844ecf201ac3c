using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Workers recycled, replaced and retired (task and memory limits, idle timeout), with real worker
/// processes. The same policy on fake workers and a fake clock: <see cref="WorkerLifetimeTests"/>.
/// </summary>
public sealed class RecyclingTests
{
    [Fact]
    public async Task A_worker_over_its_memory_limit_after_a_task_is_replaced()
    {
        await using var pool = Pools.Create(workers: 1, o => o.MaxWorkerMemory = 200L << 20);
        int small = await pool.SubmitAsync(Runaway.HoldMemory, 1).Within();
        Assert.Equal(small, await pool.SubmitAsync(Maths.ProcessId).Within()); // under the limit: kept

        int big = await pool.SubmitAsync(Runaway.HoldMemory, 300).Within();
        Assert.Equal(small, big);
        int next = await pool.SubmitAsync(Maths.ProcessId).Within();
        Assert.NotEqual(big, next);
        Assert.True(await Processes.WaitUntilGoneAsync([big], Bounded.Timeout));
    }

    [Fact]
    public async Task A_task_allocating_without_bound_is_killed_at_the_memory_cap_and_the_pool_goes_on()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerMemoryLimit = 300L << 20);
        int small = await pool.SubmitAsync(Runaway.HoldMemory, 10).Within(); // under the cap: untouched

        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Runaway.AllocateUntilOutOfMemory, 0).Within());

        Assert.Equal(small, error.ProcessId);
        Assert.Equal(9, error.Signal);
        Assert.Contains("WorkerMemoryLimit", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(small, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public async Task Idle_workers_leave_after_the_idle_timeout_and_the_pool_starts_again_on_demand()
    {
        await using var pool = Pools.Create(workers: 2, o => o.WorkerIdleTimeout = TimeSpan.FromMilliseconds(300));
        var pids = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i))).Within()).Distinct().ToList();

        // Every worker that started (one may have joined after the other did all the work) leaves.
        await Eventually.TrueAsync(() => pool.Workers.Count == 0, "idle workers retiring");
        Assert.True(await Processes.WaitUntilGoneAsync(pids, Bounded.Timeout));

        int again = await pool.SubmitAsync(Maths.ProcessId).Within();
        Assert.DoesNotContain(again, pids);
    }

    [Fact]
    public async Task A_busy_worker_is_not_retired_by_the_idle_timeout()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerIdleTimeout = TimeSpan.FromMilliseconds(100));
        using var signal = new TestSignal();
        var first = pool.SubmitAsync(Runaway.SleepThenReturnPid, 600);
        var second = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path); // queued behind: the worker is never idle in between
        int pid = await signal.WaitForStartAsync();

        // 600 ms of work after a 100 ms idle timeout: a worker retired while busy would have left the list.
        Assert.Equal(pid, await first.Within());
        Assert.Contains(pool.Workers, w => w.ProcessId == pid);
        signal.ReleaseAll();
        Assert.Equal(pid, await second.Within());
    }

    [Fact]
    public async Task The_replacement_of_a_spent_worker_starts_while_it_runs_its_last_task()
    {
        await using var pool = Pools.Create(workers: 1, o => o.MaxTasksPerWorker = 1);
        using var signal = new TestSignal();
        var last = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        int old = await signal.WaitForStartAsync();

        // While the old worker is still busy with its last task, its replacement joins the pool.
        await Eventually.TrueAsync(() => pool.Workers.Count == 2, "the replacement joining while the old worker runs");
        int replacement = pool.Workers.Single(w => w.ProcessId != old).ProcessId;

        signal.ReleaseAll();
        Assert.Equal(old, await last.Within());
        Assert.Equal(replacement, await pool.SubmitAsync(Maths.ProcessId).Within());
    }

    [Fact]
    public async Task Replacements_started_early_never_let_more_than_MaxWorkers_tasks_run_at_once()
    {
        await using var pool = Pools.Create(workers: 2, o => o.MaxTasksPerWorker = 1);
        using var signal = new TestSignal();
        var tasks = Enumerable.Range(0, 6).Select(_ => pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path)).ToList();
        await signal.WaitForStartAsync();
        await signal.WaitForStartAsync();

        // Both replacements have joined: calls are sent to a joining worker under the same lock as the
        // snapshot, so if either had been given work, it would show here.
        await Eventually.TrueAsync(() => pool.Workers.Count == 4, "the two replacements joining");
        Assert.Equal(2, pool.Workers.Sum(w => w.TasksInFlight));

        signal.ReleaseAll();
        for (int i = 2; i < 6; i++)
        {
            await signal.WaitForStartAsync();
            signal.ReleaseAll();
        }

        await Task.WhenAll(tasks).Within();
    }

    [Theory]
    [InlineData(1, 2, 6)]
    [InlineData(2, 2, 8)]
    [InlineData(3, 1, 6)]
    public async Task A_backlog_behind_workers_at_their_task_limit_all_completes(int workers, int maxTasks, int tasks)
    {
        var pool = Pools.Create(workers, o => o.MaxTasksPerWorker = maxTasks);
        var submitted = Enumerable.Range(0, tasks).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();
        await pool.ShutdownAsync().Within(); // like CPython's test_max_tasks_early_shutdown: shut down at once, all still run
        Assert.Equal(Enumerable.Range(0, tasks).Select(i => i * i), await Task.WhenAll(submitted).Within());
    }

    [Fact]
    public async Task A_worker_leaving_at_its_limit_after_shutdown_without_wait_is_still_replaced_for_the_backlog()
    {
        var pool = Pools.Create(workers: 1, o => o.MaxTasksPerWorker = 1);
        using var signal = new TestSignal();
        var tasks = Enumerable.Range(0, 3).Select(_ => pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path)).ToList();
        await signal.WaitForStartAsync();
        await pool.ShutdownAsync(wait: false);

        for (int i = 0; i < 3; i++)
        {
            signal.ReleaseAll();
            if (i < 2)
            {
                await signal.WaitForStartAsync();
            }
        }

        var pids = await Task.WhenAll(tasks).Within();
        Assert.Equal(3, pids.Distinct().Count());
        await pool.ShutdownAsync().Within();
    }

    // MaxTasksPerWorker (formerly in OptionsTests).
    [Fact]
    public async Task MaxTasksPerWorker_recycles_workers()
    {
        await using var pool = Pools.Create(workers: 1, o => o.MaxTasksPerWorker = 2);
        var pids = new List<int>();
        for (int i = 0; i < 6; i++)
        {
            pids.Add(await pool.SubmitAsync(Maths.ProcessId).Within());
        }

        Assert.Equal(3, pids.Distinct().Count());
        Assert.Equal(pids[0], pids[1]);
        Assert.NotEqual(pids[1], pids[2]);
    }

    [Fact]
    public async Task MaxTasksPerWorker_recycles_workers_during_a_map()
    {
        await using var pool = Pools.Create(workers: 2, o => o.MaxTasksPerWorker = 1);
        var pids = await pool.MapAsync(Maths.ProcessIdOf, Enumerable.Range(0, 6)).ToListWithin();
        Assert.Equal(6, pids.Distinct().Count());
    }
}

using System.Text.RegularExpressions;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Shutdown with real worker processes: waiting for running work, cancelling pending work, bounded
/// shutdown, kill and terminate, Ctrl-C, and maps cut short by a shutdown. The same policy on fake
/// workers and a fake clock is in <see cref="PoolShutdownTests"/>; the map's account of what was not
/// run, in <see cref="MapShutdownMessageTests"/>.
/// </summary>
public sealed partial class ShutdownTests
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

    // Bounded shutdown, kill and terminate (formerly BoundedShutdownTests).
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

    // Ctrl-C: the pool cancels its work on the first SIGINT; workers ignore it (formerly in CrashKindTests).
    [Fact]
    public async Task The_first_ctrl_c_cancels_running_work_and_lets_the_app_finish_cleanly()
    {
        using var parent = Processes.StartHost("ctrlc");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        int worker = int.Parse(line["PIDS ".Length..], System.Globalization.CultureInfo.InvariantCulture);

        Signals.Send(parent.Id, Signals.Interrupt);

        Assert.Equal("canceled", await parent.StandardOutput.ReadLineAsync().Within());
        await parent.WaitForExitAsync().Within();
        Assert.Equal(0, parent.ExitCode);
        Assert.True(await Processes.WaitUntilGoneAsync([worker], Bounded.Timeout));
    }

    [Fact]
    public async Task Ctrl_c_still_ends_an_app_whose_pool_is_idle()
    {
        using var parent = Processes.StartHost("ctrlc-idle");
        Assert.Equal("READY", await parent.StandardOutput.ReadLineAsync().Within());

        Signals.Send(parent.Id, Signals.Interrupt);

        await parent.WaitForExitAsync().Within();
        Assert.Equal(130, parent.ExitCode); // 128 + SIGINT: the usual end of a program on Ctrl-C
    }

    [Fact]
    public async Task A_worker_ignores_ctrl_c_itself_the_parent_decides()
    {
        await using var pool = Pools.Create(workers: 1, o => o.CancelOnCtrlC = false);
        int pid = await pool.SubmitAsync(Maths.ProcessId).Within();
        Signals.Send(pid, Signals.Interrupt);
        Assert.Equal(pid, await pool.SubmitAsync(Runaway.SleepThenReturnPid, 200).Within());
    }

    // A pool shut down while a map runs: the items already submitted finish and are yielded, then the map
    // ends with an ObjectDisposedException that says the pool was shut down and how many items were not
    // run (formerly MapShutdownTests).
    private const int Items = 100;

    // One item per message and a small window: item 0 holds the only worker while items 1–3 wait.
    private static readonly MapOptions Window = new() { ChunkSize = 1, MaxInFlight = 4 };

    public enum Form
    {
        MapAsync,
        MapUnorderedAsync,
        BlockingMap,
    }

    [Theory]
    [InlineData(Form.MapAsync)]
    [InlineData(Form.MapUnorderedAsync)]
    [InlineData(Form.BlockingMap)]
    public async Task Shutting_down_with_wait_lets_the_submitted_items_finish_then_ends_the_map_saying_how_many_were_not_run(Form form)
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var results = new List<int>();
        var map = Consume(pool, form, signal.Path, results);
        await signal.WaitForStartAsync();

        var shutdown = pool.ShutdownAsync(wait: true);
        signal.ReleaseAll();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.Within());
        await shutdown.Within();
        int finished = results.Count;
        Assert.InRange(finished, 1, Window.MaxInFlight); // what had been submitted when the pool shut down
        Assert.Equal(Enumerable.Range(0, finished), form == Form.MapUnorderedAsync ? results.Order() : results);
        Assert.Contains(
            $"The pool was shut down while this map was running: {Items - finished} items were not run; the {finished} submitted before the shutdown finished.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.MapAsync)]
    [InlineData(Form.MapUnorderedAsync)]
    [InlineData(Form.BlockingMap)]
    public async Task Shutting_down_with_cancelPending_cancels_the_queued_items_and_counts_them_as_not_run(Form form)
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var results = new List<int>();
        var map = Consume(pool, form, signal.Path, results);
        await signal.WaitForStartAsync();

        var shutdown = pool.ShutdownAsync(wait: true, cancelPending: true);

        // Items already sent to the worker are withdrawn by a message of their own; released before it
        // arrives, the worker would start the next one (cancelPending promises only the unsent ones).
        await Eventually.TrueAsync(() => pool.Workers.Sum(w => w.TasksInFlight) == 1, "the withdrawal of the items sent to the worker");
        signal.ReleaseAll();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.Within());
        await shutdown.Within();
        Assert.Equal([0], results); // only the item that was running
        var account = CancelledAccount().Match(error.Message);
        Assert.True(account.Success, error.Message);
        Assert.Equal(int.Parse(account.Groups["submitted"].Value) - 1, int.Parse(account.Groups["cancelled"].Value));
    }

    [GeneratedRegex(@"The pool was shut down while this map was running: 99 items were not run; of the (?<submitted>\d+) submitted before the shutdown, 1 finished and (?<cancelled>\d+) (was|were) cancelled by it\.")]
    private static partial Regex CancelledAccount();

    /// <summary>Runs the map in the given form over 0–99, collecting results until it ends.</summary>
    private static Task Consume(ProcessPoolExecutor pool, Form form, string signalPath, List<int> results)
    {
        var items = Enumerable.Range(0, Items).ToList();
        Func<int, int> function = x => Gating.HoldFirstItem(signalPath, x);
        return form switch
        {
            Form.BlockingMap => Task.Run(() =>
            {
                foreach (int result in pool.Map(function, items, Window))
                {
                    results.Add(result);
                }
            }),
            Form.MapUnorderedAsync => CollectAsync(pool.MapUnorderedAsync(function, items, Window), results),
            _ => CollectAsync(pool.MapAsync(function, items, Window), results),
        };
    }

    private static async Task CollectAsync(IAsyncEnumerable<int> map, List<int> results)
    {
        using var bound = new CancellationTokenSource(Bounded.Timeout);
        await foreach (int result in map.WithCancellation(bound.Token))
        {
            results.Add(result);
        }
    }
}

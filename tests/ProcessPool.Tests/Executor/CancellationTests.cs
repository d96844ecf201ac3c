using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>
/// Cancelling tasks and maps with a token: before they start, while they wait, while they run, and in
/// <see cref="CancellationMode.Kill"/>. On fake workers and a fake clock: Scheduling/CallQueueTests
/// (withdrawals) and Scheduling/DeadlinesTests (kill mode).
/// </summary>
public sealed class CancellationTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_token_cancelled_before_submit_gives_a_cancelled_task_and_runs_nothing()
    {
        await using var pool = Pools.Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var task = pool.SubmitAsync(Maths.Square, 3, cts.Token);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.True(task.IsCanceled);
        Assert.Empty(pool.Workers);
    }

    [Fact]
    public async Task A_task_cancelled_while_waiting_ends_cancelled_at_once_and_never_runs()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        string marker = Path.Combine(Path.GetTempPath(), $"pp-never-{Guid.NewGuid():N}");
        var blocker = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        await signal.WaitForStartAsync();

        using var cts = new CancellationTokenSource();
        var waiting = pool.SubmitAsync(() => File.WriteAllText(marker, "ran"), cts.Token);
        var alsoWaiting = pool.SubmitAsync(() => File.WriteAllText(marker, "ran"), cts.Token);
        await cts.CancelAsync();

        // Both end as cancelled while the blocker still holds the only worker.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => alsoWaiting.Within());
        Assert.False(blocker.IsCompleted);

        signal.ReleaseAll();
        await blocker.Within();
        await pool.SubmitAsync(Maths.Zero).Within(); // runs after the withdrawn calls' turn would have come
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task A_running_task_sees_its_token_cancelled_in_the_worker()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        using var cts = new CancellationTokenSource();
        var task = pool.SubmitAsync(Misbehaving.WaitForCancellationAsync, signal.Path, cts.Token);
        int pid = await signal.WaitForStartAsync();

        await cts.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(pid, await pool.SubmitAsync(Maths.ProcessId).Within()); // cooperative: the worker lives on
    }

    [Fact]
    public async Task A_task_that_ignores_its_token_completes_with_its_result()
    {
        await using var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        using var cts = new CancellationTokenSource();
        var task = pool.SubmitAsync(Misbehaving.FinishDespiteCancellation, signal.Path, cts.Token);
        await signal.WaitForStartAsync();
        await cts.CancelAsync();
        Assert.Equal(42, await task.Within()); // it saw the cancellation request, and finished anyway
    }

    // Cancelling a map (formerly in MapTests and MapShapeTests).
    [Fact]
    public async Task A_cancelled_map_throws_OperationCanceledException_with_the_callers_token()
    {
        await using var pool = Pools.Create();
        using var cts = new CancellationTokenSource();
        var seen = 0;
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (int r in pool.MapAsync(Maths.Square, Enumerable.Range(0, 100_000), cancellationToken: cts.Token))
            {
                if (++seen == 10)
                {
                    await cts.CancelAsync();
                }
            }
        });
        Assert.Equal(cts.Token, error.CancellationToken);
    }

    [Fact]
    public async Task A_mapped_function_sees_its_token_cancelled_when_the_map_is_cancelled()
    {
        await using var pool = Pools.Create(workers: 1);
        foreach (bool ordered in new[] { true, false })
        {
            using var signal = new TestSignal();
            using var cts = new CancellationTokenSource();
            Task map = ordered
                ? pool.MapAsync(Misbehaving.BlockUntilCancelled, [signal.Path], cancellationToken: cts.Token).ToListWithin()
                : pool.MapUnorderedAsync(Misbehaving.WaitForCancellationAsync, [signal.Path], cancellationToken: cts.Token).ToListWithin();
            int pid = await signal.WaitForStartAsync();

            await cts.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => map);

            // The function returned when its token was cancelled: the one worker is the same and free.
            Assert.Equal(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
        }
    }

    // CancellationMode.Kill set on the task (formerly in TimeoutTests).
    [Fact]
    public async Task Kill_mode_cancellation_ends_a_task_that_ignores_its_token()
    {
        await using var pool = Pools.Create(workers: 1);
        await Pools.WarmAsync(pool);
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

    // ProcessPoolOptions.CancellationMode: a pool-wide choice of what cancelling a running task does, so
    // that work ignoring its token does not keep a worker busy after its caller gave up (formerly
    // CancellationModeTests).
    [Fact]
    public async Task Under_a_pool_default_of_kill_a_cancelled_task_that_ignores_its_token_frees_its_worker()
    {
        await using var pool = Pools.Create(workers: 1, o => { o.CancellationMode = CancellationMode.Kill; o.KillGracePeriod = Grace; });
        using var signal = new TestSignal();
        using var abandoned = new CancellationTokenSource();
        var stuck = pool.SubmitAsync(Runaway.Spin, signal.Path, abandoned.Token); // no TaskOptions: the pool's default applies
        int pid = await signal.WaitForStartAsync();

        await abandoned.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stuck.Within());
        Assert.Equal(abandoned.Token, error.CancellationToken);
        Assert.True(await Processes.WaitUntilGoneAsync([pid], Bounded.Timeout));
        Assert.NotEqual(pid, await pool.SubmitAsync(Maths.ProcessId).Within()); // the next request does not wait for the stuck one
    }

    [Theory]
    [InlineData("the pool's default")]
    [InlineData("the map's options")]
    public async Task A_cancelled_map_in_kill_mode_frees_the_worker_of_an_item_that_ignores_its_token(string setBy)
    {
        await using var pool = Pools.Create(workers: 1, o =>
        {
            o.KillGracePeriod = Grace;
            o.CancellationMode = setBy == "the pool's default" ? CancellationMode.Kill : CancellationMode.Signal;
        });
        var options = setBy == "the map's options" ? new MapOptions { CancellationMode = CancellationMode.Kill } : null;
        using var signal = new TestSignal();
        using var abandoned = new CancellationTokenSource();
        var consuming = pool.MapAsync(Runaway.Spin, [signal.Path], options, abandoned.Token).ToListWithin();
        int pid = await signal.WaitForStartAsync();

        await abandoned.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consuming);
        Assert.True(await Processes.WaitUntilGoneAsync([pid], Bounded.Timeout));
        Assert.NotEqual(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
    }
}

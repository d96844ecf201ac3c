using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

public sealed class CancellationTests
{
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
}

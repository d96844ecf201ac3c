using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

/// <summary>
/// <see cref="ProcessPoolOptions.CancellationMode"/>: a pool-wide choice of what cancelling a running
/// task does, so that work ignoring its token does not keep a worker busy after its caller gave up.
/// </summary>
public sealed class CancellationModeTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(200);

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

    [Fact]
    public void Undefined_cancellation_modes_are_rejected_naming_the_option()
    {
        var undefined = (CancellationMode)7;
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new ProcessPoolOptions { CancellationMode = undefined });
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new TaskOptions { CancellationMode = undefined });
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new MapOptions { CancellationMode = undefined });
        Assert.Equal(CancellationMode.Signal, new ProcessPoolOptions().CancellationMode);
        Assert.Null(new TaskOptions().CancellationMode);
        Assert.Null(new MapOptions().CancellationMode);
    }
}

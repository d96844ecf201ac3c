using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

public sealed class CallPolicyTests
{
    private static readonly CallPolicy KillByDefault = CallPolicy.ForPool(new ProcessPoolOptions { CancellationMode = CancellationMode.Kill });

    [Fact]
    public void A_task_or_map_that_leaves_the_cancellation_mode_unset_takes_the_pools()
    {
        Assert.Equal(CancellationMode.Kill, KillByDefault.CancellationMode);
        Assert.Equal(CancellationMode.Kill, KillByDefault.With(new TaskOptions { Timeout = TimeSpan.FromSeconds(1) }).CancellationMode);
        Assert.Equal(CancellationMode.Kill, KillByDefault.With(new MapOptions { TaskTimeout = TimeSpan.FromSeconds(1) }).CancellationMode);
    }

    [Fact]
    public void A_task_or_map_that_sets_the_cancellation_mode_overrides_the_pools()
    {
        Assert.Equal(CancellationMode.Signal, KillByDefault.With(new TaskOptions { CancellationMode = CancellationMode.Signal }).CancellationMode);
        Assert.Equal(CancellationMode.Signal, KillByDefault.With(new MapOptions { CancellationMode = CancellationMode.Signal }).CancellationMode);
        var signalByDefault = CallPolicy.ForPool(new ProcessPoolOptions());
        Assert.Equal(CancellationMode.Kill, signalByDefault.With(new MapOptions { CancellationMode = CancellationMode.Kill }).CancellationMode);
    }
}

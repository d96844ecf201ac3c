using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Workers hold several tiny calls at once; none of them is held back behind a long call while a worker
/// idles. On fake workers and a fake clock: <see cref="DispatcherTests"/>.
/// </summary>
public sealed class RebalancingTests
{
    [Fact]
    public async Task Calls_waiting_behind_a_long_call_move_to_an_idle_worker()
    {
        await using var pool = Pools.Create(workers: 2);
        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => pool.SubmitAsync(Maths.Square, i))).Within(); // windows open wide

        using var signal = new TestSignal();
        var longCall = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        int blockedPid = await signal.WaitForStartAsync();
        var tiny = Enumerable.Range(0, 200).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i)).ToList();

        // All of them finish while the long call still runs, and none ran behind it.
        int[] pids = await Task.WhenAll(tiny).Within();
        Assert.DoesNotContain(blockedPid, pids);
        Assert.False(longCall.IsCompleted);

        signal.ReleaseAll();
        Assert.Equal(blockedPid, await longCall.Within());
    }
}

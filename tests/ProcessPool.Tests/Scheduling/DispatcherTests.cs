using ProcessPool.Scheduling;
using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Where calls go: idle workers first, new workers up to the limit, windows, and rebalancing, on a fake
/// clock. Rebalancing with real worker processes: <see cref="RebalancingTests"/>.
/// </summary>
public sealed class DispatcherTests
{
    [Fact]
    public async Task Calls_start_workers_up_to_MaxWorkers_and_no_more()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 3);
        pool.Workers.Hold = true;
        var tasks = Enumerable.Range(0, 10).Select(_ => pool.Submit()).ToList();
        Assert.Equal(3, pool.Workers.StartsRequested);
        Assert.Equal(10, pool.Scheduler.Counts.Queued);
    }

    [Fact]
    public async Task Each_call_goes_to_an_idle_worker_before_one_that_is_busy()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        _ = pool.Submit();
        _ = pool.Submit();
        Assert.Equal(2, pool.Workers.Started.Count);
        Assert.All(pool.Workers.Started, w => Assert.Single(w.Sent));
    }

    [Fact]
    public async Task Calls_waiting_behind_a_long_call_are_withdrawn_for_an_idle_worker()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        var tasks = Enumerable.Range(0, 4).Select(_ => pool.Submit()).ToList();
        var (slow, quick) = (pool.Workers[0], pool.Workers[1]);
        Assert.Equal(2, slow.Sent.Count); // a window of two each: one running, one waiting
        Assert.Equal(2, quick.Sent.Count);
        quick.Answer(quick.CallId(0), 1);
        quick.Answer(quick.CallId(1), 3);
        Assert.Empty(slow.Withdrawn); // the slow worker has not been silent for long yet

        pool.Advance(Dispatcher.LongCallAge + TimeSpan.FromMilliseconds(2));
        Assert.Equal([slow.CallId(1)], slow.Withdrawn);
        slow.AnswerCanceled(slow.CallId(1)); // it had not started it
        Assert.Equal(3, quick.Sent.Count); // back in the queue, and on to the idle worker
        quick.Answer(quick.CallId(2), 2);
        Assert.Equal(2, await tasks[2].Within());

        slow.Answer(slow.CallId(0), 0);
        int[] results = await Task.WhenAll(tasks).Within();
        Assert.Equal([0, 1, 2, 3], results);
    }

    [Fact]
    public async Task A_withdrawn_call_that_had_started_is_answered_where_it_ran()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        var tasks = Enumerable.Range(0, 4).Select(_ => pool.Submit()).ToList();
        var (slow, quick) = (pool.Workers[0], pool.Workers[1]);
        quick.Answer(quick.CallId(0), 1);
        quick.Answer(quick.CallId(1), 3);
        pool.Advance(Dispatcher.LongCallAge + TimeSpan.FromMilliseconds(2));
        Assert.Single(slow.Withdrawn);

        slow.Answer(slow.CallId(0), 0); // too late to withdraw: both ran here
        slow.Answer(slow.CallId(1), 2);
        int[] results = await Task.WhenAll(tasks).Within();
        Assert.Equal([0, 1, 2, 3], results);
        Assert.Equal(2, quick.Sent.Count);
    }

    [Fact]
    public async Task A_worker_that_answers_quickly_is_given_a_wider_window()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var first = pool.Submit();
        var worker = pool.Workers[0];
        worker.Answer(worker.CallId(0), 0); // 10 ticks of work: a tiny call
        await first.Within();

        var tasks = Enumerable.Range(0, 50).Select(_ => pool.Submit()).ToList();
        Assert.Equal(51, worker.Sent.Count); // all at once, not two at a time
    }
}

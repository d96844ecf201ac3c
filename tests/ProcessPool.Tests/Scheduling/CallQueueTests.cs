using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Back-pressure (<see cref="ProcessPoolOptions.MaxQueuedTasks"/>) with fake workers that start when
/// the test says. With real worker processes: <see cref="BackPressureTests"/>.
/// </summary>
public sealed class CallQueueTests
{
    [Fact]
    public async Task Calls_beyond_the_bound_wait_for_room_and_are_admitted_in_order()
    {
        await using var pool = new FakePool(o => (o.MaxQueuedTasks, o.MaxWorkers) = (1, 1));
        pool.Workers.Hold = true;
        var tasks = Enumerable.Range(0, 3).Select(_ => pool.Submit()).ToList();
        Assert.Equal((1, 2), pool.Scheduler.Counts);

        pool.Workers.Release();
        var worker = pool.Workers[0];
        await FakePool.Until(() => worker.Sent.Count == 2, "the worker took a window of calls");
        Assert.Equal((1, 0), pool.Scheduler.Counts);
        for (int i = 0; i < 3; i++)
        {
            await FakePool.Until(() => worker.Sent.Count > i, $"call {i} was sent");
            worker.Answer(worker.CallId(i), i);
            Assert.Equal(i, await tasks[i].Within());
        }
    }

    [Fact]
    public async Task A_producer_waits_for_room_and_goes_on_when_a_place_frees_up()
    {
        await using var pool = new FakePool(o => (o.MaxQueuedTasks, o.MaxWorkers) = (1, 1));
        pool.Workers.Hold = true;
        _ = pool.Submit();
        var room = pool.Scheduler.WaitForRoomAsync(CancellationToken.None);
        Assert.False(room.IsCompleted);

        pool.Workers.Release(); // the worker takes the queued call: the queue has room again
        await room.Within();
    }

    [Fact]
    public async Task A_cancelled_wait_for_room_passes_its_turn_to_the_producer_behind_it()
    {
        await using var pool = new FakePool(o => (o.MaxQueuedTasks, o.MaxWorkers) = (1, 1));
        pool.Workers.Hold = true;
        _ = pool.Submit();
        using var gaveUp = new CancellationTokenSource();
        var first = pool.Scheduler.WaitForRoomAsync(gaveUp.Token);
        var second = pool.Scheduler.WaitForRoomAsync(CancellationToken.None);
        gaveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.Within());

        pool.Workers.Release(); // one place frees up: it is the second producer's, not the first's
        await second.Within();
    }

    [Fact]
    public async Task A_cancelled_wait_does_not_hold_back_a_producer_that_comes_later()
    {
        await using var pool = new FakePool(o => (o.MaxQueuedTasks, o.MaxWorkers) = (1, 1));
        pool.Workers.Hold = true;
        _ = pool.Submit();
        using var gaveUp = new CancellationTokenSource();
        var first = pool.Scheduler.WaitForRoomAsync(gaveUp.Token);
        gaveUp.Cancel();
        pool.Workers.Release();
        var worker = pool.Workers[0];
        await FakePool.Until(() => worker.Sent.Count == 1, "the queued call was sent");

        Assert.True(pool.Scheduler.WaitForRoomAsync(CancellationToken.None).IsCompletedSuccessfully); // the queue is empty
    }

    [Fact]
    public async Task Waiting_producers_are_released_with_ObjectDisposedException_at_shutdown()
    {
        await using var pool = new FakePool(o => (o.MaxQueuedTasks, o.MaxWorkers) = (1, 1));
        pool.Workers.Hold = true;
        _ = pool.Submit();
        var room = pool.Scheduler.WaitForRoomAsync(CancellationToken.None);
        _ = pool.Scheduler.ShutdownAsync(cancelPending: true);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => room.Within());
        Assert.Throws<ObjectDisposedException>(() => { _ = pool.Scheduler.WaitForRoomAsync(CancellationToken.None); });
    }
}

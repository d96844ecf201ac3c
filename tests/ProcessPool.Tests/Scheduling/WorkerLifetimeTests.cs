using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Starting, recycling, replacing and killing workers, with fake workers and a fake clock. With real
/// worker processes: <see cref="RecyclingTests"/> and <see cref="CrashTests"/>.
/// </summary>
public sealed class WorkerLifetimeTests
{
    [Fact]
    public async Task A_worker_that_has_run_its_share_is_replaced_at_once_and_leaves_when_idle()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.MaxTasksPerWorker) = (1, 2));
        var first = pool.Submit();
        var second = pool.Submit();
        var old = pool.Workers[0];
        Assert.Equal(2, pool.Workers.Started.Count); // the replacement starts while the old one finishes
        Assert.False(old.ShutdownRequested);

        var third = pool.Submit();
        var replacement = pool.Workers[1];
        Assert.Empty(replacement.Sent); // never more than MaxWorkers run calls at once

        old.Answer(old.CallId(0), 1);
        old.Answer(old.CallId(1), 2);
        Assert.True(old.ShutdownRequested);
        await FakePool.Until(() => replacement.Sent.Count == 1, "the third call went to the replacement");
        replacement.Answer(replacement.CallId(0), 3);
        int[] results = await Task.WhenAll(first, second, third).Within();
        Assert.Equal([1, 2, 3], results);
        await FakePool.Until(() => old.IsGone, "the old worker left");
        Assert.False(old.Killed);
    }

    [Fact]
    public async Task A_worker_over_MaxWorkerMemory_after_a_call_is_recycled()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.MaxWorkerMemory) = (1, 100L << 20));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.Memory = 200L << 20;
        worker.Answer(worker.CallId(0), 1);
        Assert.Equal(1, await task.Within());
        Assert.True(worker.ShutdownRequested);
        Assert.Equal(2, pool.Workers.Started.Count);
    }

    [Fact]
    public async Task A_busy_worker_over_WorkerMemoryLimit_is_killed_and_its_call_fails_saying_why()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.WorkerMemoryLimit) = (1, 100L << 20));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.Memory = 300L << 20;
        pool.Advance(TimeSpan.FromMilliseconds(60)); // a memory sample is due every 50 ms
        Assert.True(worker.Killed);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => task.Within());
        Assert.Contains("WorkerMemoryLimit", crash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queued_calls_fail_once_three_workers_in_a_row_fail_to_start()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        pool.Workers.FailStartsWith = new WorkerStartException("no such program");
        var task = pool.Submit();
        var failure = await Assert.ThrowsAsync<WorkerStartException>(() => task.Within());
        Assert.Equal("no such program", failure.Message);
        Assert.Equal(3, pool.Workers.StartsRequested);
    }

    [Fact]
    public async Task A_failing_initializer_fails_every_call_then_and_later()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        pool.Workers.FailStartsWith = new WorkerInitializationException("init failed", new InvalidOperationException());
        await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.Submit().Within());
        Assert.Equal(1, pool.Workers.StartsRequested);
        await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.Submit().Within());
        Assert.Equal(1, pool.Workers.StartsRequested);
    }

    [Fact]
    public async Task A_worker_killed_from_outside_is_replaced_and_not_counted_as_a_failed_start()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        await Run(pool, 0, 1);
        for (int i = 0; i < 4; i++)
        {
            pool.Workers[i].Kill(); // SIGKILL from outside, as the OOM killer does
            await FakePool.Until(() => pool.Workers.Started.Count == i + 2, "a replacement started");
        }

        await Run(pool, 4, 2);
    }

    private static async Task Run(FakePool pool, int workerIndex, int value)
    {
        var task = pool.Submit();
        await FakePool.Until(() => pool.Workers.Started.Count > workerIndex && pool.Workers[workerIndex].Sent.Count > 0, "the call was sent");
        var worker = pool.Workers[workerIndex];
        worker.Answer(worker.CallId(worker.Sent.Count - 1), value);
        Assert.Equal(value, await task.Within());
    }
}

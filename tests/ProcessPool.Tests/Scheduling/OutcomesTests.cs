using ProcessPool.Protocol;
using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// How calls end when their worker answers or dies: delivered, requeued, retried after a back-off, or
/// failed. With real worker processes: <see cref="CrashTests"/> and <see cref="RetryTests"/>.
/// </summary>
public sealed class OutcomesTests
{
    [Fact]
    public async Task A_crash_fails_only_the_running_call_and_the_calls_behind_it_run_on_a_replacement()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var running = pool.Submit();
        var behind = pool.Submit();
        var worker = pool.Workers[0];
        Assert.Equal(2, worker.Sent.Count);

        worker.Crash(exitCode: 3);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => running.Within());
        Assert.Equal(3, crash.ExitCode);
        Assert.Equal(worker.ProcessId, crash.ProcessId);

        var replacement = pool.Workers[1];
        Assert.Single(replacement.Sent);
        replacement.Answer(replacement.CallId(0), 5);
        Assert.Equal(5, await behind.Within());
    }

    [Fact]
    public async Task A_crashed_call_runs_again_after_the_retry_policy_back_off()
    {
        var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(2) };
        await using var pool = new FakePool(o => (o.MaxWorkers, o.RetryPolicy) = (1, retry));
        var task = pool.Submit();
        pool.Workers[0].Crash();
        var replacement = pool.Workers[1];
        Assert.Empty(replacement.Sent);

        pool.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Empty(replacement.Sent);
        pool.Advance(TimeSpan.FromSeconds(0.2));
        await FakePool.Until(() => replacement.Sent.Count == 1, "the retry was sent");
        replacement.Answer(replacement.CallId(0), 9);
        Assert.Equal(9, await task.Within());
    }

    [Fact]
    public async Task A_call_that_crashes_every_attempt_fails_with_the_earlier_attempts()
    {
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(1) };
        await using var pool = new FakePool(o => (o.MaxWorkers, o.RetryPolicy) = (1, retry));
        var task = pool.Submit();
        pool.Workers[0].Crash(exitCode: 1);
        pool.Advance(TimeSpan.FromSeconds(1.1));
        await FakePool.Until(() => pool.Workers[1].Sent.Count == 1, "the retry was sent");
        pool.Workers[1].Crash(exitCode: 2);

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => task.Within());
        Assert.Equal(2, crash.ExitCode);
        Assert.Equal(1, Assert.IsType<WorkerCrashedException>(Assert.Single(crash.PreviousAttempts)).ExitCode);
    }

    [Fact]
    public async Task A_failure_the_retry_policy_accepts_runs_again_after_the_back_off()
    {
        var retry = new RetryPolicy { MaxAttempts = 2, InitialDelay = TimeSpan.FromSeconds(1), RetryOnException = e => e is TimeoutException };
        await using var pool = new FakePool(o => (o.MaxWorkers, o.RetryPolicy) = (1, retry));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.AnswerFailure(worker.CallId(0), new TimeoutException("flaky"));
        pool.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Single(worker.Sent);

        pool.Advance(TimeSpan.FromSeconds(0.6));
        await FakePool.Until(() => worker.Sent.Count == 2, "the retry was sent");
        worker.Answer(worker.CallId(1), 4);
        Assert.Equal(4, await task.Within());
    }

    [Fact]
    public async Task A_failure_the_retry_policy_refuses_is_the_answer()
    {
        var retry = new RetryPolicy { MaxAttempts = 5, RetryOnException = e => e is TimeoutException };
        await using var pool = new FakePool(o => (o.MaxWorkers, o.RetryPolicy) = (1, retry));
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.AnswerFailure(worker.CallId(0), new InvalidOperationException("bug"));
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => task.Within());
        Assert.Equal("bug", failure.Message);
        Assert.Single(worker.Sent);
    }

    [Fact]
    public async Task Cancelling_a_call_that_waits_out_its_back_off_ends_it_at_once()
    {
        var retry = new RetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.FromMinutes(1) };
        await using var pool = new FakePool(o => (o.MaxWorkers, o.RetryPolicy) = (1, retry));
        using var cancel = new CancellationTokenSource();
        var task = pool.Submit(cancellationToken: cancel.Token);
        pool.Workers[0].Crash();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        pool.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(pool.Workers[1].Sent);
    }

    [Fact]
    public async Task A_crash_outside_any_call_runs_the_call_again_without_blaming_it()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var task = pool.Submit();
        var worker = pool.Workers[0];
        worker.Unhandled = new UnhandledMessage("Finalizer", ExceptionInfo.From(new InvalidOperationException("finalizer threw")));
        worker.Crash(exitCode: 134);

        Assert.Contains(worker.ErrorLines, line => line.Contains("crashed outside any task", StringComparison.Ordinal));
        var replacement = pool.Workers[1];
        Assert.Single(replacement.Sent);
        replacement.Answer(replacement.CallId(0), 8);
        Assert.Equal(8, await task.Within());
    }

    [Fact]
    public async Task A_call_under_which_workers_keep_crashing_outside_it_fails_after_the_second_time()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 1);
        var task = pool.Submit();
        for (int i = 0; i < 2; i++)
        {
            var worker = pool.Workers[i];
            worker.Unhandled = new UnhandledMessage("a thread of its own", ExceptionInfo.From(new InvalidOperationException("again")));
            worker.Crash(exitCode: 134);
        }

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => task.Within());
        Assert.Equal("a thread of its own", crash.UnhandledExceptionThread);
        Assert.Contains("2 times", crash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_arrives_after_the_call_was_withdrawn_is_dropped()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.MaxQueuedTasks) = (1, 10));
        using var cancel = new CancellationTokenSource();
        var task = pool.Submit(cancellationToken: cancel.Token);
        var worker = pool.Workers[0];
        cancel.Cancel();
        worker.AnswerCanceled(worker.CallId(0));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        worker.Answer(worker.CallId(0), 1); // a stray answer: nothing to deliver it to, nothing breaks

        var next = pool.Submit();
        worker.Answer(worker.CallId(1), 2);
        Assert.Equal(2, await next.Within());
    }

    [Fact]
    public async Task A_call_running_on_a_worker_the_pool_kills_ends_cancelled_even_if_a_kill_for_another_call_came_first()
    {
        await using var pool = new FakePool(o => (o.MaxWorkers, o.KillGracePeriod) = (1, TimeSpan.FromSeconds(1)));
        var timedOut = pool.Submit(new TaskOptions { Timeout = TimeSpan.FromSeconds(1) });
        var next = pool.Submit();
        var worker = pool.Workers[0];
        worker.DiesWhenTold = true;
        pool.Advance(TimeSpan.FromSeconds(1.1)); // its token is signalled
        pool.Advance(TimeSpan.FromSeconds(1.1)); // its kill is due
        Assert.True(worker.Killed);
        worker.AnswerCanceled(worker.CallId(0)); // it stopped just before the kill landed; the next call starts
        await Assert.ThrowsAsync<TaskTimeoutException>(() => timedOut.Within());

        var closed = pool.Scheduler.Abort(ProcessPool.Scheduling.AbortMode.Kill); // and the pool is killed too
        worker.Die();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.Within()); // cancelled by the pool, not crashed
        await closed.Within();
    }
}

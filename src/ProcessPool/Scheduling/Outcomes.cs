using ProcessPool.Serialization;
using ProcessPool.Protocol;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>What becomes of a call whose answer arrived.</summary>
internal enum ReplyOutcome
{
    Deliver,
    Requeued,
    TimedOut,
    MayRetry,
}

/// <summary>What becomes of the call a worker was running when it died.</summary>
internal enum CrashOutcome
{
    Crashed,
    Retried,
    TimedOut,
    Canceled,

    /// <summary>Its workers kept dying of exceptions outside any call while running it (<see cref="CrashOutsideTask"/>).</summary>
    CrashedOutsideTaskAgain,
}

/// <summary>
/// The one place that decides how a call's attempt ends, when its worker answers or dies: delivered,
/// requeued, retried (after the retry policy's back-off) or failed, and with which exception.
/// </summary>
internal sealed class Outcomes(SchedulerState state, Dispatcher dispatcher)
{
    /// <summary>A worker answered a call (or its withdrawal), under the lock: which way the call goes.</summary>
    public ReplyOutcome OnAnsweredLocked(WorkerSlot worker, Call call, bool canceled, in ResultMessage result)
    {
        state.AssertHeld();
        call.Worker = null;
        if (call.Policy.Timeout is not null)
        {
            worker.TimedCalls--;
        }

        bool rebalanced = call.Rebalancing;
        call.Rebalancing = false;
        if (canceled && rebalanced && !IsCanceled(call))
        {
            // Withdrawn from behind a long call for an idle worker: it goes back to the front of the queue.
            RequeueLocked(call);
            worker.TasksAssigned--;
            return ReplyOutcome.Requeued;
        }

        worker.TasksCompleted++;
        if (call.TimedOut && (canceled || result.Error is not null))
        {
            return ReplyOutcome.TimedOut; // it stopped when its token was signalled
        }

        if (!canceled && result.Error is not null && call.Policy.Retry?.RetryOnException is not null && call.Policy.MayRetryAfterCrash(call.Attempt) && !IsCanceled(call))
        {
            state.AwaitingRetry.Add(call); // held, so that shutdown waits for the decision
            return ReplyOutcome.MayRetry;
        }

        return ReplyOutcome.Deliver;
    }

    /// <summary>Outside the lock: ends an answered call as <paramref name="outcome"/> says (after the retry policy's word, for a failure).</summary>
    public void EndAnswered(WorkerSlot worker, Call call, ReplyOutcome outcome, bool canceled, in ResultMessage result)
    {
        switch (outcome)
        {
            case ReplyOutcome.Requeued:
                return;
            case ReplyOutcome.TimedOut:
                call.Fail(new TaskTimeoutException(call.Policy.Timeout!.Value, worker.Id, worker.Worker.ProcessId, workerKilled: false));
                state.Ended(1);
                return;
            case ReplyOutcome.MayRetry when RetryAfterFailure(call, result):
                return;
        }

        if (canceled)
        {
            call.Cancel();
        }
        else
        {
            call.Complete(result);
        }

        state.Ended(1);
    }

    /// <summary>
    /// The worker running <paramref name="running"/> died, under the lock. Decides how the call ends:
    /// timed out or cancelled if the pool killed it for that, cancelled if the pool is being torn down,
    /// run again if the crash came from outside the call (<paramref name="crashedOutside"/>), if the
    /// kill was for another call, or if its retry policy allows; else crashed.
    /// </summary>
    public CrashOutcome OnRunningCallLostLocked(WorkerSlot worker, Call running, Exception crash, bool crashedOutside)
    {
        state.AssertHeld();
        running.Worker = null;
        if (running.Policy.Timeout is not null)
        {
            worker.TimedCalls--;
        }

        if (worker.Killed.For == running)
        {
            return running.TimedOut ? CrashOutcome.TimedOut : CrashOutcome.Canceled;
        }

        if (running.TimedOut)
        {
            return CrashOutcome.TimedOut; // it died on its own during its grace period: still a timeout, never retried
        }

        if (worker.Killed.ByPool)
        {
            return CrashOutcome.Canceled;
        }

        if (crashedOutside && !IsCanceled(running))
        {
            // Not the call's doing, so it runs again without using up an attempt; but a call whose own
            // code starts the thread that throws would take down every worker it ran on.
            if (++running.CrashesOutsideTask >= CrashOutsideTask.MaxPerCall)
            {
                return CrashOutcome.CrashedOutsideTaskAgain;
            }

            (running.EarlierFailures ??= []).Add(crash);
            RequeueLocked(running);
            return CrashOutcome.Retried;
        }

        if (worker.Killed.For is not null && !IsCanceled(running))
        {
            // The call the kill was for answered just before the kill landed, and this one had started:
            // it is innocent, so it runs again elsewhere without using up an attempt.
            RequeueLocked(running);
            return CrashOutcome.Retried;
        }

        if (running.Policy.MayRetryAfterCrash(running.Attempt) && state.Broken is null && !IsCanceled(running))
        {
            state.AwaitingRetry.Add(running);
            ScheduleRetryLocked(running, crash);
            return CrashOutcome.Retried;
        }

        return CrashOutcome.Crashed;
    }

    /// <summary>A call the dead worker held but had not started: cancelled if it is being cancelled, else back to the queue (true).</summary>
    public bool RequeueOrphanLocked(Call call)
    {
        state.AssertHeld();
        call.Worker = null;
        call.Rebalancing = false;
        if (IsCanceled(call))
        {
            return false;
        }

        RequeueLocked(call);
        return true;
    }

    /// <summary>Outside the lock: ends the call a dead worker was running, as <see cref="OnRunningCallLostLocked"/> decided.</summary>
    public static void EndLost(Call running, CrashOutcome outcome, WorkerSlot worker, Exception crash, Func<WorkerCrashedException> crashedOutsideAgain)
    {
        switch (outcome)
        {
            case CrashOutcome.TimedOut:
                running.Fail(new TaskTimeoutException(running.Policy.Timeout!.Value, worker.Id, worker.Worker.ProcessId, workerKilled: true));
                break;
            case CrashOutcome.Canceled:
                running.Cancel();
                break;
            case CrashOutcome.Crashed:
                running.Fail(running.EarlierFailures is { } earlier && crash is WorkerCrashedException crashed ? crashed.WithEarlierAttempts(earlier) : crash);
                break;
            case CrashOutcome.CrashedOutsideTaskAgain:
                running.Fail(crashedOutsideAgain().WithEarlierAttempts(running.EarlierFailures ?? []));
                break;
        }
    }

    /// <summary>
    /// Puts a call taken back from a worker (withdrawn, orphaned by a crash, or retried) at the front of
    /// the queue under a new id (its old worker may still hold the old one).
    /// </summary>
    public void RequeueLocked(Call call)
    {
        state.AssertHeld();
        call.Id = ++state.LastCallId;
        call.Deadline = 0;
        call.KillAt = 0;
        call.TimedOut = false;
        state.Queue.Requeue(call);
    }

    /// <summary>Whether a call must end cancelled rather than run again: its token fired, or the pool cancels what has not run.</summary>
    private bool IsCanceled(Call call) => state.CancelPending || call.CancellationToken.IsCancellationRequested;

    /// <summary>Asks the retry policy about a failure the task threw itself; true if the call will run again.</summary>
    private bool RetryAfterFailure(Call call, in ResultMessage result)
    {
        var failure = RemoteExceptionFactory.Create(result.Error!, call.Policy.AllowedTypes);
        bool retry;
        try
        {
            retry = call.Policy.Retry!.RetryOnException!(failure);
        }
        catch (Exception)
        {
            retry = false; // a predicate that throws does not retry; the task's own failure is the answer
        }

        lock (state.Gate)
        {
            if (!state.AwaitingRetry.Contains(call))
            {
                return true; // cancelled meanwhile: whoever took it out ended it
            }

            if (!retry)
            {
                state.AwaitingRetry.Remove(call);
                state.BeginEndingLocked(1); // the caller delivers the failure
                return false;
            }

            ScheduleRetryLocked(call, failure);
        }

        return true;
    }

    /// <summary>Records the failed attempt and puts the call back in the queue after the policy's back-off.</summary>
    private void ScheduleRetryLocked(Call call, Exception failure)
    {
        state.AssertHeld();
        (call.EarlierFailures ??= []).Add(failure);
        call.Attempt++;
        _ = RequeueAfterAsync(call, call.Policy.Retry!.DelayBefore(call.Attempt));
    }

    private async Task RequeueAfterAsync(Call call, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await state.Clock.Delay(delay).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield(); // never requeue on the caller's stack, which holds the lock
        }

        var pumped = default(Pumped);
        lock (state.Gate)
        {
            if (!state.AwaitingRetry.Remove(call))
            {
                return; // cancelled while it waited
            }

            RequeueLocked(call);
            pumped = dispatcher.PumpLocked();
        }

        dispatcher.Release(pumped);
    }
}

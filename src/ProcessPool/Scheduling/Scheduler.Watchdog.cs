using System.Diagnostics;
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

// Deadlines: task timeouts and the kills they escalate to, workers idle too long, retries after a
// back-off. One timer serves them all, set for the earliest. Every method named *Locked runs under _gate.
internal sealed partial class Scheduler
{
    private Timer? _watchdog;
    private long _watchdogDue = long.MaxValue;

    /// <summary>Makes sure the watchdog looks at the pool no later than <paramref name="due"/> (a timestamp).</summary>
    private void ScheduleWatchdogLocked(long due)
    {
        if (due >= _watchdogDue)
        {
            return;
        }

        _watchdogDue = due;
        _watchdog ??= new Timer(static state => ((Scheduler)state!).OnWatchdog(), this, Timeout.Infinite, Timeout.Infinite);
        // A wait longer than a timer takes fires early; OnWatchdog finds nothing due and re-arms.
        _watchdog.Change(Timestamps.Bounded(Timestamps.Until(Stopwatch.GetTimestamp(), due) + TimeSpan.FromMilliseconds(1)), Timeout.InfiniteTimeSpan);
    }

    private void OnWatchdog()
    {
        List<WorkerConnection>? toKill = null;
        lock (_gate)
        {
            if (_watchdogDue == 0)
            {
                return; // the pool has closed
            }

            _watchdogDue = long.MaxValue;
            long now = Stopwatch.GetTimestamp();
            long next = long.MaxValue;
            foreach (var worker in _workers.ToArray()) // retiring idle workers changes the list
            {
                if (worker.Disconnected)
                {
                    continue;
                }

                if (worker.InFlight.Count == 0)
                {
                    next = Math.Min(next, RetireIfIdleTooLongLocked(worker, now));
                    continue;
                }

                var head = HeadLocked(worker);
                if (head.Deadline != 0 && !head.TimedOut)
                {
                    if (now >= head.Deadline)
                    {
                        // Its time is up: signal its token, and give it the grace period to stop.
                        head.TimedOut = true;
                        worker.SendCancel(head.Id);
                        head.KillAt = Timestamps.After(now, head.Policy.KillGracePeriod);
                    }
                    else
                    {
                        next = Math.Min(next, head.Deadline);
                    }
                }

                if (head.KillAt != 0)
                {
                    if (now >= head.KillAt)
                    {
                        head.KillAt = 0;
                        worker.KilledFor = head;
                        (toKill ??= []).Add(worker);
                    }
                    else
                    {
                        next = Math.Min(next, head.KillAt);
                    }
                }
            }

            if (next != long.MaxValue)
            {
                ScheduleWatchdogLocked(next);
            }
        }

        toKill?.ForEach(w => w.Kill()); // its reader reports the exit; OnDisconnected fails the call
    }

    private static readonly TimeSpan MemorySamplePeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Every <see cref="MemorySamplePeriod"/> with <see cref="ProcessPoolOptions.WorkerMemoryLimit"/> set:
    /// reads the resident memory of the busy workers (outside the lock: it is file I/O) and kills those
    /// above the cap. Their running task fails as a crash that says why.
    /// </summary>
    private void SampleMemory()
    {
        long limit = _options.WorkerMemoryLimit.GetValueOrDefault(long.MaxValue);
        List<WorkerConnection> busy;
        lock (_gate)
        {
            busy = _workers.FindAll(w => w.InFlight.Count > 0 && !w.Disconnected && w.KilledAtMemory == 0);
        }

        foreach (var worker in busy)
        {
            long resident = worker.Process.ResidentBytes();
            if (resident <= limit)
            {
                continue;
            }

            lock (_gate)
            {
                if (worker.Disconnected || worker.KilledAtMemory != 0)
                {
                    continue;
                }

                worker.KilledAtMemory = resident;
            }

            worker.Kill();
        }
    }

    /// <summary>After a reply: retire a condemned worker once idle, start an idle worker's clock, or a waiting call's deadline.</summary>
    private void OnWorkerProgressLocked(WorkerConnection worker, long now)
    {
        if (worker.InFlight.Count == 0)
        {
            worker.IdleSince = now;
            if (worker.Condemned)
            {
                RetireLocked(worker);
            }
            else if (Validate.Finite(_options.WorkerIdleTimeout) is { } idle)
            {
                ScheduleWatchdogLocked(Timestamps.After(now, idle));
            }
        }
        else if (worker.TimedCalls > 0)
        {
            StartClockLocked(HeadLocked(worker), now);
        }
    }

    /// <summary>The call a worker is running: it runs its calls in the order they were sent.</summary>
    private static Call HeadLocked(WorkerConnection worker)
    {
        Call? head = null;
        foreach (var call in worker.InFlight.Values)
        {
            if (head is null || call.SendOrder < head.SendOrder)
            {
                head = call;
            }
        }

        return head!;
    }

    /// <summary>A call has started in its worker: its timeout counts from now.</summary>
    private void StartClockLocked(Call call, long now)
    {
        if (call.Deadline == 0 && call.Policy.Timeout is { } timeout)
        {
            call.Deadline = Timestamps.After(now, timeout);
            ScheduleWatchdogLocked(call.Deadline);
        }
    }

    /// <summary>Retires an idle worker past <see cref="ProcessPoolOptions.WorkerIdleTimeout"/>; otherwise returns when to look again.</summary>
    private long RetireIfIdleTooLongLocked(WorkerConnection worker, long now)
    {
        if (Validate.Finite(_options.WorkerIdleTimeout) is not { } idle || worker.Retiring)
        {
            return long.MaxValue;
        }

        long expires = Timestamps.After(worker.IdleSince, idle);
        if (now < expires)
        {
            return expires;
        }

        RetireLocked(worker);
        return long.MaxValue;
    }

    /// <summary>
    /// The worker running <paramref name="running"/> died. Decides how the call ends: timed out or
    /// cancelled if the pool killed it for that, cancelled if the pool is being torn down, run again
    /// if the crash came from outside the call (<paramref name="crashedOutside"/>) or its retry policy
    /// allows, else crashed.
    /// </summary>
    private CrashOutcome OnRunningCallLostLocked(WorkerConnection worker, Call running, Exception crash, bool crashedOutside)
    {
        if (running.Policy.Timeout is not null)
        {
            worker.TimedCalls--;
        }

        if (worker.KilledFor == running)
        {
            return running.TimedOut ? CrashOutcome.TimedOut : CrashOutcome.Canceled;
        }

        if (running.TimedOut)
        {
            return CrashOutcome.TimedOut; // it died on its own during its grace period: still a timeout, never retried
        }

        if (worker.KilledByPool)
        {
            return CrashOutcome.Canceled;
        }

        if (crashedOutside && !_cancelPending && !running.CancellationToken.IsCancellationRequested)
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

        if (worker.KilledFor is not null && !_cancelPending && !running.CancellationToken.IsCancellationRequested)
        {
            // The call the kill was for answered just before the kill landed, and this one had started:
            // it is innocent, so it runs again elsewhere without using up an attempt.
            RequeueLocked(running);
            return CrashOutcome.Retried;
        }

        if (running.Policy.MayRetryAfterCrash(running.Attempt) && _broken is null && !_cancelPending && !running.CancellationToken.IsCancellationRequested)
        {
            _awaitingRetry.Add(running);
            ScheduleRetryLocked(running, crash);
            return CrashOutcome.Retried;
        }

        return CrashOutcome.Crashed;
    }

    /// <summary>Records the failed attempt and puts the call back in the queue after the policy's back-off.</summary>
    private void ScheduleRetryLocked(Call call, Exception failure)
    {
        (call.EarlierFailures ??= []).Add(failure);
        call.Attempt++;
        _ = RequeueAfterAsync(call, call.Policy.Retry!.DelayBefore(call.Attempt));
    }

    private async Task RequeueAfterAsync(Call call, TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(Timestamps.Bounded(delay)).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield(); // never requeue on the caller's stack, which holds the lock
        }

        var pumped = default(Pumped);
        lock (_gate)
        {
            if (!_awaitingRetry.Remove(call))
            {
                return; // cancelled while it waited
            }

            RequeueLocked(call);
            pumped = PumpLocked();
        }

        Release(pumped);
    }
}

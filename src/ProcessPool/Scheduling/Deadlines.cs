namespace ProcessPool.Scheduling;

/// <summary>
/// Deadlines: task timeouts and the kills they escalate to, cancellations in kill mode, and workers
/// idle too long. One timer serves them all, set for the earliest.
/// </summary>
internal sealed class Deadlines
{
    private readonly SchedulerState _state;
    private readonly ITimer _watchdog;
    private long _watchdogDue = long.MaxValue; // 0 once the pool has closed

    public Deadlines(SchedulerState state)
    {
        _state = state;
        _watchdog = state.Clock.CreateTimer(OnWatchdog);
    }

    /// <summary>Set once the parts are built: retiring an idle worker is the lifetime's.</summary>
    public WorkerLifetime Lifetime { private get; set; } = null!;

    /// <summary>A call has started in its worker: its timeout counts from now.</summary>
    public void StartClockLocked(Call call, long now)
    {
        _state.AssertHeld();
        if (call.Deadline == 0 && call.Policy.Timeout is { } timeout)
        {
            call.Deadline = _state.Clock.After(now, timeout);
            ScheduleLocked(call.Deadline);
        }
    }

    /// <summary>A running call was cancelled in <see cref="CancellationMode.Kill"/>: its worker is killed after the grace period unless it ends first.</summary>
    public void KillAfterGraceLocked(Call call)
    {
        _state.AssertHeld();
        if (call.KillAt == 0)
        {
            call.KillAt = _state.Clock.After(_state.Clock.Now, call.Policy.KillGracePeriod);
            ScheduleLocked(call.KillAt);
        }
    }

    /// <summary>After a reply: retire a condemned worker once idle, watch an idle worker's idleness, or start the next call's clock.</summary>
    public void OnWorkerProgressLocked(WorkerSlot worker, long now)
    {
        _state.AssertHeld();
        if (worker.IsIdle)
        {
            worker.IdleSince = now;
            if (worker.State == WorkerState.Condemned)
            {
                Lifetime.RetireLocked(worker);
            }
            else
            {
                WatchIdleLocked(worker);
            }
        }
        else if (worker.TimedCalls > 0)
        {
            StartClockLocked(worker.Head(), now);
        }
    }

    /// <summary>Looks at an idle worker again when it will have been idle for <see cref="ProcessPoolOptions.WorkerIdleTimeout"/>.</summary>
    public void WatchIdleLocked(WorkerSlot worker)
    {
        _state.AssertHeld();
        if (Validate.Finite(_state.Options.WorkerIdleTimeout) is { } idle)
        {
            ScheduleLocked(_state.Clock.After(worker.IdleSince, idle));
        }
    }

    /// <summary>Stops the watchdog (the pool has closed).</summary>
    public void CloseLocked()
    {
        _state.AssertHeld();
        _watchdog.Dispose();
        _watchdogDue = 0; // nothing is scheduled any more
    }

    /// <summary>Makes sure the watchdog looks at the pool no later than <paramref name="due"/> (a timestamp).</summary>
    private void ScheduleLocked(long due)
    {
        _state.AssertHeld();
        if (due >= _watchdogDue)
        {
            return;
        }

        _watchdogDue = due;

        // A wait longer than a timer takes fires early; OnWatchdog finds nothing due and re-arms.
        _watchdog.Change(Timestamps.Bounded(_state.Clock.Until(_state.Clock.Now, due) + TimeSpan.FromMilliseconds(1)), Timeout.InfiniteTimeSpan);
    }

    private void OnWatchdog()
    {
        List<WorkerSlot>? toKill = null;
        lock (_state.Gate)
        {
            if (_watchdogDue == 0)
            {
                return; // the pool has closed
            }

            _watchdogDue = long.MaxValue;
            long now = _state.Clock.Now;
            long next = long.MaxValue;
            foreach (var worker in _state.Workers.ToArray()) // retiring idle workers changes the list
            {
                if (worker.State == WorkerState.Gone)
                {
                    continue;
                }

                if (worker.IsIdle)
                {
                    next = Math.Min(next, RetireIfIdleTooLongLocked(worker, now));
                    continue;
                }

                if (CheckHeadLocked(worker, now, ref next))
                {
                    (toKill ??= []).Add(worker);
                }
            }

            if (next != long.MaxValue)
            {
                ScheduleLocked(next);
            }
        }

        toKill?.ForEach(w => w.Worker.Kill()); // its reader reports the exit; the outcome fails the call
    }

    /// <summary>
    /// The running call's deadlines: past its timeout its token is signalled and its kill is due after
    /// the grace period; past that, its worker is to be killed (true). Lowers <paramref name="next"/> to
    /// the next deadline still ahead.
    /// </summary>
    private bool CheckHeadLocked(WorkerSlot worker, long now, ref long next)
    {
        _state.AssertHeld();
        var head = worker.Head();
        if (head.Deadline != 0 && !head.TimedOut)
        {
            if (now >= head.Deadline)
            {
                // Its time is up: signal its token, and give it the grace period to stop.
                head.TimedOut = true;
                worker.Worker.SendCancel(head.Id);
                head.KillAt = _state.Clock.After(now, head.Policy.KillGracePeriod);
            }
            else
            {
                next = Math.Min(next, head.Deadline);
            }
        }

        if (head.KillAt == 0)
        {
            return false;
        }

        if (now < head.KillAt)
        {
            next = Math.Min(next, head.KillAt);
            return false;
        }

        head.KillAt = 0;
        worker.Killed.For = head;
        return true;
    }

    /// <summary>Retires an idle worker past <see cref="ProcessPoolOptions.WorkerIdleTimeout"/>; otherwise returns when to look again.</summary>
    private long RetireIfIdleTooLongLocked(WorkerSlot worker, long now)
    {
        _state.AssertHeld();
        if (Validate.Finite(_state.Options.WorkerIdleTimeout) is not { } idle || worker.State == WorkerState.Retiring
            || (worker.State == WorkerState.Active && _state.ActiveLocked <= _state.Options.MinWorkers))
        {
            return long.MaxValue; // MinWorkers stay however long they idle
        }

        long expires = _state.Clock.After(worker.IdleSince, idle);
        if (now < expires)
        {
            return expires;
        }

        Lifetime.RetireLocked(worker);
        return long.MaxValue;
    }
}

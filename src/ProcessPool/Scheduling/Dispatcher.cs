using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>
/// Sends queued calls to workers. A call goes to an idle worker if there is one, else a new worker is
/// started (up to <see cref="ProcessPoolOptions.MaxWorkers"/>), else it goes to the least-loaded worker
/// with room in its in-flight window (<see cref="CallWindow"/>), so its pipe never idles between calls.
/// Calls stuck behind a long call are moved to an idle worker (<see cref="RebalanceLocked"/>).
/// </summary>
internal sealed class Dispatcher
{
    /// <summary>A call running this long with calls waiting behind it gives them up to an idle worker.</summary>
    public static readonly TimeSpan LongCallAge = TimeSpan.FromMilliseconds(5);

    private readonly SchedulerState _state;
    private readonly ITimer _rebalanceTimer;

    public Dispatcher(SchedulerState state)
    {
        _state = state;
        _rebalanceTimer = state.Clock.CreateTimer(RebalanceLater);
    }

    /// <summary>Set once the parts are built: starting workers and watching deadlines are theirs.</summary>
    public WorkerLifetime Lifetime { private get; set; } = null!;

    public Deadlines Deadlines { private get; set; } = null!;

    /// <summary>
    /// Sends queued calls to workers. Returns what the caller must do once it has left the lock
    /// (<see cref="Release"/>): write the calls out, start new workers.
    /// </summary>
    public Pumped PumpLocked()
    {
        _state.AssertHeld();
        long now = _state.Clock.Now;
        int starts = 0;
        WorkerSlot? sentTo = null;
        List<WorkerSlot>? alsoSentTo = null;
        while (_state.Queue.Peek() is { } call)
        {
            var worker = PickWorkerLocked(now);
            bool idle = worker is { IsIdle: true };
            if (!idle && _state.CanGrowLocked && _state.Starting < _state.Queue.Count)
            {
                _state.Starting++;
                starts++;
                continue;
            }

            // Leave the rest for workers that are starting rather than stacking them behind busy ones.
            if (worker is null || (!idle && _state.Starting >= _state.Queue.Count))
            {
                break;
            }

            if (!worker.Worker.Send(new InvokeRequest(call.Id, call.Function.Id, call.Function.Definition, call.ItemCount, call.Payload)))
            {
                worker.State = WorkerState.Gone; // its reader will report the loss; the call stays queued
                continue;
            }

            _state.Queue.TakeFirst();
            call.Worker = worker;
            call.SendOrder = ++_state.LastSendOrder;
            if (call.Policy.Timeout is not null)
            {
                worker.TimedCalls++;
            }

            if (worker.IsIdle)
            {
                worker.LastAnsweredAt = now; // an idle worker's clock starts with its work
                Deadlines.StartClockLocked(call, now);
            }

            worker.InFlight.Add(call.Id, call);
            worker.TasksAssigned++;
            if (_state.Options.MaxTasksPerWorker is { } max && worker.TasksAssigned >= max)
            {
                starts += Lifetime.CondemnLocked(worker);
            }

            if (sentTo is null)
            {
                sentTo = worker;
            }
            else if (sentTo != worker && !(alsoSentTo ??= []).Contains(worker))
            {
                alsoSentTo.Add(worker);
            }
        }

        _state.Queue.Peek(); // admits calls waiting for room as far as the bound allows
        _state.Queue.WakeRoomWaiters();
        return new Pumped(starts, sentTo, alsoSentTo);
    }

    /// <summary>Outside the lock: writes the calls a pump sent, then starts the workers it asked for.</summary>
    public void Release(in Pumped pumped)
    {
        pumped.SentTo?.Worker.Flush();
        pumped.AlsoSentTo?.ForEach(w => w.Worker.Flush());
        Lifetime.StartWorkers(pumped.Starts);
    }

    /// <summary>Pumps and rebalances under the lock, then releases outside it.</summary>
    public void Dispatch()
    {
        Pumped pumped;
        lock (_state.Gate)
        {
            pumped = PumpLocked();
            RebalanceLocked();
        }

        Release(pumped);
    }

    /// <summary>
    /// With nothing queued and a worker idle, calls that wait behind a long call on another worker (one
    /// that has not answered for <see cref="LongCallAge"/>) are withdrawn from it: the worker answers
    /// Canceled for those it had not started, and they go back to the queue for the idle worker. A wide
    /// window keeps a worker's channel busy with tiny calls; this keeps it from holding them back
    /// behind a long one. A worker not yet silent for long enough is looked at again when it will be.
    /// </summary>
    public void RebalanceLocked()
    {
        _state.AssertHeld();
        if (_state.Queue.Count > 0 || !HasIdleWorkerLocked())
        {
            return;
        }

        long now = _state.Clock.Now;
        TimeSpan? lookAgain = null;
        foreach (var busy in _state.Workers)
        {
            if (busy.InFlight.Count < 2 || busy.State == WorkerState.Gone)
            {
                continue;
            }

            var silent = _state.Clock.Elapsed(busy.LastAnsweredAt, now);
            if (silent < LongCallAge)
            {
                var wait = LongCallAge - silent;
                if (lookAgain is null || wait < lookAgain)
                {
                    lookAgain = wait;
                }

                continue;
            }

            var running = busy.Head();
            foreach (var waiting in busy.InFlight.Values)
            {
                if (waiting != running && !waiting.Rebalancing)
                {
                    waiting.Rebalancing = true;
                    busy.Worker.SendWithdraw(waiting.Id);
                }
            }
        }

        if (lookAgain is { } delay && !_state.Shutdown)
        {
            _rebalanceTimer.Change(delay + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the rebalancing timer (the pool has closed).</summary>
    public void Close() => _rebalanceTimer.Dispose();

    private void RebalanceLater()
    {
        lock (_state.Gate)
        {
            RebalanceLocked();
        }
    }

    // Runs on every burst of replies: a loop, not a lambda that would be allocated each time.
    private bool HasIdleWorkerLocked()
    {
        _state.AssertHeld();
        foreach (var worker in _state.Workers)
        {
            if (worker.IsIdle && worker.TakesCalls)
            {
                return true;
            }
        }

        return false;
    }

    private int BusyWorkersLocked()
    {
        _state.AssertHeld();
        int busy = 0;
        foreach (var worker in _state.Workers)
        {
            if (!worker.IsIdle)
            {
                busy++;
            }
        }

        return busy;
    }

    /// <summary>A worker busy with one call for <see cref="LongCallAge"/> or more takes no more while another can.</summary>
    private bool IsHeldUp(WorkerSlot worker, long now) =>
        !worker.IsIdle && _state.Clock.Elapsed(worker.LastAnsweredAt, now) >= LongCallAge;

    private WorkerSlot? PickWorkerLocked(long now)
    {
        _state.AssertHeld();
        // A condemned worker's replacement starts early but waits for it to finish: never more than
        // MaxWorkers workers run calls at once.
        bool atCapacity = _state.Condemned > 0 && BusyWorkersLocked() >= _state.Options.MaxWorkers;
        WorkerSlot? best = null;
        foreach (var worker in _state.Workers)
        {
            if (!worker.TakesCalls || worker.InFlight.Count >= worker.Window.Size || IsHeldUp(worker, now) || (atCapacity && worker.IsIdle))
            {
                continue;
            }

            if (best is null || worker.InFlight.Count < best.InFlight.Count)
            {
                best = worker;
            }
        }

        return best;
    }
}

/// <summary>What a pump left for after the lock: the workers it sent calls to, and how many workers to start.</summary>
internal readonly record struct Pumped(int Starts, WorkerSlot? SentTo, List<WorkerSlot>? AlsoSentTo);

using System.Diagnostics;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

// Dispatch and the worker life cycle. Every method named *Locked runs under _gate.
internal sealed partial class Scheduler
{
    private bool CanGrowLocked => _broken is null && _workers.Count - _condemned + _starting < _options.MaxWorkers;

    /// <summary>
    /// Sends queued calls to workers. Returns what the caller must do once it has left the lock
    /// (<see cref="Release"/>): write the calls out, start new workers.
    /// </summary>
    private Pumped PumpLocked()
    {
        long now = Stopwatch.GetTimestamp();
        int starts = 0;
        WorkerConnection? sentTo = null;
        List<WorkerConnection>? alsoSentTo = null;
        while (AdmitWaitingLocked() is { } node)
        {
            var worker = PickWorkerLocked(now);
            bool idle = worker is { InFlight.Count: 0 };
            if (!idle && CanGrowLocked && _starting < _queue.Count)
            {
                _starting++;
                starts++;
                continue;
            }

            // Leave the rest for workers that are starting rather than stacking them behind busy ones.
            if (worker is null || (!idle && _starting >= _queue.Count))
            {
                break;
            }

            var call = node.Value;
            if (!worker.Send(call))
            {
                worker.Disconnected = true; // its reader will report the loss; the call stays queued
                continue;
            }

            _queue.RemoveFirst();
            call.QueueNode = null;
            call.Worker = worker;
            call.SendOrder = ++_lastSendOrder;
            if (call.Policy.Timeout is not null)
            {
                worker.TimedCalls++;
            }

            if (worker.InFlight.Count == 0)
            {
                worker.LastAnsweredAt = now; // an idle worker's clock starts with its work
                StartClockLocked(call, now);
            }

            worker.InFlight.Add(call.Id, call);
            worker.TasksAssigned++;
            if (_options.MaxTasksPerWorker is { } max && worker.TasksAssigned >= max)
            {
                starts += CondemnLocked(worker);
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

        AdmitWaitingLocked();
        WakeRoomWaitersLocked();
        return new Pumped(starts, sentTo, alsoSentTo);
    }

    /// <summary>Places left in the queue before it reaches <see cref="ProcessPoolOptions.MaxQueuedTasks"/>.</summary>
    private int FreeRoomLocked => _options.MaxQueuedTasks is { } max ? Math.Max(0, max - _queue.Count - _waitingForRoom.Count) : int.MaxValue;

    /// <summary>Lets as many waiting producers go as there are free places (in the order they came).</summary>
    private void WakeRoomWaitersLocked()
    {
        for (int free = FreeRoomLocked; free > 0 && _roomWaiters.TryDequeue(out var waiter); free--)
        {
            waiter.TrySetResult(); // runs its continuation elsewhere: made with RunContinuationsAsynchronously
        }
    }

    /// <summary>
    /// Moves calls waiting for room (<see cref="ProcessPoolOptions.MaxQueuedTasks"/>) into the queue, in
    /// order, as far as the bound allows; returns the queue's first call.
    /// </summary>
    private LinkedListNode<Call>? AdmitWaitingLocked()
    {
        while (_waitingForRoom.First is { } node && _queue.Count < _options.MaxQueuedTasks.GetValueOrDefault(int.MaxValue))
        {
            _waitingForRoom.RemoveFirst();
            _queue.AddLast(node);
        }

        return _queue.First;
    }

    /// <summary>
    /// The worker takes no more calls and leaves once idle. Its replacement starts now, while it finishes
    /// its last calls, so that recycling costs no start-up latency. Returns the workers to start (0 or 1).
    /// </summary>
    private int CondemnLocked(WorkerConnection worker)
    {
        if (worker.Condemned || worker.Retiring)
        {
            return 0;
        }

        worker.Condemned = true;
        _condemned++;
        if (worker.InFlight.Count == 0)
        {
            RetireLocked(worker);
        }

        if (_shutdown || !CanGrowLocked)
        {
            return 0;
        }

        _starting++;
        return 1;
    }

    /// <summary>Tells a worker to leave; it is no longer the scheduler's to use, and its exit is expected.</summary>
    private void RetireLocked(WorkerConnection worker)
    {
        if (worker.Retiring)
        {
            return; // already told (a worker condemned while idle is retired at once, and again when its last reply is handled)
        }

        worker.Retiring = true;
        RemoveWorkerLocked(worker);
        _retiring.Add(worker);
        worker.SendShutdown();
    }

    private void RemoveWorkerLocked(WorkerConnection worker)
    {
        if (_workers.Remove(worker) && worker.Condemned)
        {
            _condemned--;
        }
    }

    /// <summary>Outside the lock: writes the calls a pump sent, then starts the workers it asked for.</summary>
    private void Release(in Pumped pumped)
    {
        pumped.SentTo?.Flush();
        pumped.AlsoSentTo?.ForEach(w => w.Flush());
        StartWorkers(pumped.Starts);
    }

    /// <summary>
    /// With nothing queued and a worker idle, calls that wait behind a long call on another worker (one
    /// that has not answered for <see cref="LongCallAge"/>) are withdrawn from it: the worker answers
    /// Canceled for those it had not started, and they go back to the queue for the idle worker. A wide
    /// window keeps a worker's channel busy with tiny calls; this keeps it from holding them back
    /// behind a long one. A worker not yet silent for long enough is looked at again when it will be.
    /// </summary>
    private void RebalanceLocked()
    {
        if (_queue.Count > 0 || !HasIdleWorkerLocked())
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        TimeSpan? lookAgain = null;
        foreach (var busy in _workers)
        {
            if (busy.InFlight.Count < 2 || busy.Disconnected)
            {
                continue;
            }

            var silent = Stopwatch.GetElapsedTime(busy.LastAnsweredAt, now);
            if (silent < LongCallAge)
            {
                var wait = LongCallAge - silent;
                if (lookAgain is null || wait < lookAgain)
                {
                    lookAgain = wait;
                }

                continue;
            }

            var running = busy.InFlight.Values.MinBy(c => c.SendOrder)!;
            foreach (var waiting in busy.InFlight.Values)
            {
                if (waiting != running && !waiting.Rebalancing)
                {
                    waiting.Rebalancing = true;
                    busy.SendWithdraw(waiting.Id);
                }
            }
        }

        if (lookAgain is { } delay && !_shutdown)
        {
            _rebalanceTimer ??= new Timer(static state => ((Scheduler)state!).RebalanceLater(), this, Timeout.Infinite, Timeout.Infinite);
            _rebalanceTimer.Change(delay + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }
    }

    // Runs on every burst of replies: a loop, not a lambda that would be allocated each time.
    private bool HasIdleWorkerLocked()
    {
        foreach (var worker in _workers)
        {
            if (worker.InFlight.Count == 0 && !worker.Retiring && !worker.Disconnected && !worker.Condemned)
            {
                return true;
            }
        }

        return false;
    }

    private int BusyWorkersLocked()
    {
        int busy = 0;
        foreach (var worker in _workers)
        {
            if (worker.InFlight.Count > 0)
            {
                busy++;
            }
        }

        return busy;
    }

    /// <summary>A worker busy with one call for <see cref="LongCallAge"/> or more takes no more while another can.</summary>
    private static bool IsHeldUp(WorkerConnection worker, long now) =>
        worker.InFlight.Count > 0 && Stopwatch.GetElapsedTime(worker.LastAnsweredAt, now) >= LongCallAge;

    private void RebalanceLater()
    {
        lock (_gate)
        {
            RebalanceLocked();
        }
    }

    private WorkerConnection? PickWorkerLocked(long now)
    {
        // A condemned worker's replacement starts early but waits for it to finish: never more than
        // MaxWorkers workers run calls at once.
        bool atCapacity = _condemned > 0 && BusyWorkersLocked() >= _options.MaxWorkers;
        WorkerConnection? best = null;
        foreach (var worker in _workers)
        {
            if (worker.Retiring || worker.Disconnected || worker.Condemned || worker.InFlight.Count >= worker.Window.Size || IsHeldUp(worker, now)
                || (atCapacity && worker.InFlight.Count == 0))
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

    /// <summary>
    /// Counts calls the caller has taken out of the queues or a worker under the lock and will end
    /// outside it: until they have ended, the pool is not drained, so that a shutdown never completes
    /// before the last task does.
    /// </summary>
    private void BeginEndingLocked(int count) => Interlocked.Add(ref _ending, count);

    /// <summary>Outside the lock, after ending calls counted by <see cref="BeginEndingLocked"/>.</summary>
    private void Ended(int count)
    {
        if (count > 0 && Interlocked.Add(ref _ending, -count) == 0 && _shutdown)
        {
            lock (_gate)
            {
                CheckDrainedLocked();
            }
        }
    }

    private void CheckDrainedLocked()
    {
        if (_shutdown && _queue.Count == 0 && _waitingForRoom.Count == 0 && _awaitingRetry.Count == 0 && Interlocked.CompareExchange(ref _ending, 0, 0) == 0
            && _workers.TrueForAll(w => w.InFlight.Count == 0))
        {
            _drained.TrySetResult();
        }
    }

    private void CheckExitedLocked()
    {
        if (_drained.Task.IsCompleted && _workers.Count == 0 && _retiring.Count == 0 && _starting == 0)
        {
            _exited.TrySetResult();
        }
    }

    private void StartWorkers(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = StartWorkerAsync();
        }
    }

    private async Task StartWorkerAsync()
    {
        int id = Interlocked.Increment(ref _lastWorkerId);
        WorkerConnection worker;
        try
        {
            worker = await _launcher.StartAsync(id, this).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            OnStartFailed(e);
            return;
        }

        var pumped = default(Pumped);
        lock (_gate)
        {
            _starting--;
            if (_shutdown && _queue.Count == 0)
            {
                worker.Retiring = true;
                _retiring.Add(worker);
            }
            else
            {
                _workers.Add(worker);
                worker.IdleSince = Stopwatch.GetTimestamp();
                if (_options.WorkerMemoryLimit is not null)
                {
                    _memorySampler ??= new Timer(static state => ((Scheduler)state!).SampleMemory(), this, MemorySamplePeriod, MemorySamplePeriod);
                }

                if (Validate.Finite(_options.WorkerIdleTimeout) is { } idle)
                {
                    ScheduleWatchdogLocked(Timestamps.After(worker.IdleSince, idle));
                }

                pumped = PumpLocked();
                RebalanceLocked(); // an idle newcomer takes calls waiting behind a long one
            }
        }

        worker.Start();
        if (worker.Retiring)
        {
            worker.SendShutdown();
        }

        Release(pumped);
    }

    private void OnStartFailed(Exception error)
    {
        var failed = new List<Call>();
        var pumped = default(Pumped);
        lock (_gate)
        {
            _starting--;
            if (error is WorkerInitializationException)
            {
                _broken ??= error;
            }
            else
            {
                _startFailures++;
            }

            // With no worker able to start, fail what waits instead of retrying for ever.
            if (_broken is not null || (_startFailures >= MaxConsecutiveStartFailures && _workers.Count == 0 && _starting == 0))
            {
                _startFailures = 0;
                foreach (var list in (LinkedList<Call>[])[_queue, _waitingForRoom])
                {
                    while (list.First is { } node)
                    {
                        list.RemoveFirst();
                        node.Value.QueueNode = null;
                        failed.Add(node.Value);
                    }
                }
            }
            else
            {
                pumped = PumpLocked();
            }

            BeginEndingLocked(failed.Count);
            CheckDrainedLocked();
            CheckExitedLocked();
        }

        failed.ForEach(c => c.Fail(_broken ?? error));
        Ended(failed.Count);
        Release(pumped);
    }
}

/// <summary>What a pump left for after the lock: the workers it sent calls to, and how many workers to start.</summary>
internal readonly record struct Pumped(int Starts, WorkerConnection? SentTo, List<WorkerConnection>? AlsoSentTo);

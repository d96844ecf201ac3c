using System.Diagnostics;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

// Dispatch and the worker life cycle. Every method named *Locked runs under _gate.
internal sealed partial class Scheduler
{
    private bool CanGrowLocked => _broken is null && _workers.Count + _starting < _options.MaxWorkers;

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
        while (_queue.First is { } node)
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
            if (worker.InFlight.Count == 0)
            {
                worker.LastAnsweredAt = now; // an idle worker's clock starts with its work
            }

            worker.InFlight.Add(call.Id, call);
            worker.TasksAssigned++;
            if (sentTo is null)
            {
                sentTo = worker;
            }
            else if (sentTo != worker && !(alsoSentTo ??= []).Contains(worker))
            {
                alsoSentTo.Add(worker);
            }
        }

        return new Pumped(starts, sentTo, alsoSentTo);
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
            if (worker.InFlight.Count == 0 && !worker.Retiring && !worker.Disconnected && !IsSpent(worker))
            {
                return true;
            }
        }

        return false;
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
        WorkerConnection? best = null;
        foreach (var worker in _workers)
        {
            if (worker.Retiring || worker.Disconnected || worker.InFlight.Count >= worker.Window.Size || IsSpent(worker) || IsHeldUp(worker, now))
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

    private bool IsSpent(WorkerConnection worker) => _options.MaxTasksPerWorker is { } max && worker.TasksAssigned >= max;

    /// <summary>A worker that has run its <see cref="ProcessPoolOptions.MaxTasksPerWorker"/> leaves once idle.</summary>
    private void RetireIfSpentLocked(WorkerConnection worker)
    {
        if (!worker.Retiring && worker.InFlight.Count == 0 && IsSpent(worker))
        {
            worker.Retiring = true;
            _workers.Remove(worker);
            _retiring.Add(worker);
            worker.SendShutdown();
        }
    }

    private void CheckDrainedLocked()
    {
        if (_shutdown && _queue.Count == 0 && _workers.TrueForAll(w => w.InFlight.Count == 0))
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
                while (_queue.First is { } node)
                {
                    _queue.RemoveFirst();
                    node.Value.QueueNode = null;
                    failed.Add(node.Value);
                }
            }
            else
            {
                pumped = PumpLocked();
            }

            CheckDrainedLocked();
            CheckExitedLocked();
        }

        failed.ForEach(c => c.Fail(_broken ?? error));
        Release(pumped);
    }
}

/// <summary>What a pump left for after the lock: the workers it sent calls to, and how many workers to start.</summary>
internal readonly record struct Pumped(int Starts, WorkerConnection? SentTo, List<WorkerConnection>? AlsoSentTo);

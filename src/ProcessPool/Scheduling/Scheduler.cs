using ProcessPool.Protocol;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>
/// The pool's scheduler, as the executor and Map see it: calls go in (<see cref="Enqueue"/>), are
/// cancelled (<see cref="CancelCall"/>), and the pool shuts down. Behind it, parts with one job each
/// share one locked <see cref="SchedulerState"/>: the <see cref="CallQueue"/>, the
/// <see cref="Dispatcher"/>, the <see cref="Deadlines"/>, the <see cref="Outcomes"/> of calls, the
/// <see cref="WorkerLifetime"/> and the <see cref="PoolShutdown"/>. Workers report here
/// (<see cref="IWorkerEvents"/>); they know nothing of calls.
/// </summary>
internal sealed class Scheduler : IWorkerEvents
{
    private readonly SchedulerState _state;
    private readonly Dispatcher _dispatcher;
    private readonly Deadlines _deadlines;
    private readonly Outcomes _outcomes;
    private readonly WorkerLifetime _lifetime;
    private readonly PoolShutdown _shutdown;

    public Scheduler(ProcessPoolOptions options, IWorkerFactory workers, TimeProvider time)
    {
        _state = new SchedulerState(options, workers, new Clock(time));
        _dispatcher = new Dispatcher(_state);
        _deadlines = new Deadlines(_state);
        _outcomes = new Outcomes(_state, _dispatcher);
        _lifetime = new WorkerLifetime(_state, _dispatcher, _deadlines, _outcomes, this);
        _dispatcher.Lifetime = _lifetime;
        _dispatcher.Deadlines = _deadlines;
        _deadlines.Lifetime = _lifetime;
        _shutdown = new PoolShutdown(_state, _dispatcher, _deadlines, _lifetime);
        if (options.MinWorkers > 0)
        {
            int starts;
            lock (_state.Gate)
            {
                starts = _lifetime.StartUpToLocked(options.MinWorkers);
            }

            _lifetime.StartWorkers(starts);
        }
    }

    /// <summary>Where large arrays of this pool's calls go (see <see cref="Serialization.SharedMemory"/>).</summary>
    public string SegmentDirectory => _state.Factory.SegmentDirectory;

    public bool IsShutdown => _state.Shutdown;

    /// <summary>The pool's time, which maps use for their deadlines too.</summary>
    public Clock Clock => _state.Clock;

    /// <summary>
    /// Whether the pool was shut down by force (Ctrl-C, a bounded shutdown that ran out of time,
    /// KillWorkers, TerminateWorkers), cancelling its running work; set before any call is cancelled for it.
    /// </summary>
    public bool IsAborted => _state.Aborted;

    public (int Queued, int WaitingForRoom) Counts
    {
        get
        {
            lock (_state.Gate)
            {
                return (_state.Queue.Count, _state.Queue.WaitingForRoom);
            }
        }
    }

    public IReadOnlyList<WorkerInfo> Workers
    {
        get
        {
            lock (_state.Gate)
            {
                return [.. _state.Workers.Select(w => w.ToInfo())];
            }
        }
    }

    /// <summary>Completes when the queue holds fewer than <see cref="ProcessPoolOptions.MaxQueuedTasks"/> tasks (at once without a bound).</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        lock (_state.Gate)
        {
            ThrowIfShutdown();
            return _state.Queue.WaitForRoomAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Starts workers until <paramref name="count"/> take calls; completes when they do, and fails with the
    /// error of a worker that cannot start (the pool goes on: later calls start workers again).
    /// </summary>
    public Task StartAsync(int count, CancellationToken cancellationToken)
    {
        Task ready;
        int starts;
        lock (_state.Gate)
        {
            ThrowIfShutdown();
            if (_state.Broken is { } broken)
            {
                return Task.FromException(broken);
            }

            starts = _lifetime.StartUpToLocked(count);
            ready = _state.Readiness.WaitLocked(count, _state.ActiveLocked, _state.Starting, cancellationToken);
        }

        _lifetime.StartWorkers(starts);
        return ready;
    }

    /// <summary>Queues a call. Throws <see cref="ObjectDisposedException"/> once shutdown has begun.</summary>
    public void Enqueue(Call call)
    {
        Exception? broken;
        var pumped = default(Pumped);
        lock (_state.Gate)
        {
            ThrowIfShutdown();
            broken = _state.Broken;
            if (broken is null)
            {
                call.Id = ++_state.LastCallId;
                _state.Queue.Add(call);
                pumped = _dispatcher.PumpLocked();
            }
        }

        if (broken is not null)
        {
            call.Fail(broken);
            return;
        }

        call.RegisterCancellation(this);
        _dispatcher.Release(pumped);
    }

    /// <summary>
    /// The call's token fired: withdraw it if it is still queued (or waiting to be retried), else ask its
    /// worker to cancel it, and in <see cref="CancellationMode.Kill"/> kill the worker if it is still
    /// running after the grace period.
    /// </summary>
    public void CancelCall(Call call)
    {
        bool withdrawn = false;
        lock (_state.Gate)
        {
            if (_state.Queue.Remove(call))
            {
                withdrawn = true;
                _state.BeginEndingLocked(1);
                _state.Queue.WakeRoomWaiters();
            }
            else if (_state.AwaitingRetry.Remove(call))
            {
                withdrawn = true;
                _state.BeginEndingLocked(1);
            }
            else if (call.Worker is { } worker)
            {
                worker.Worker.SendCancel(call.Id);
                if (call.Policy.CancellationMode == CancellationMode.Kill)
                {
                    _deadlines.KillAfterGraceLocked(call);
                }
            }
        }

        if (withdrawn)
        {
            call.Cancel();
            _state.Ended(1);
        }
    }

    // Named, not typeof(ProcessPoolExecutor): the composition root is no room's to see.
    private void ThrowIfShutdown()
    {
#pragma warning disable CA1513 // ThrowIf takes the type, which this room must not see
        if (_state.Shutdown)
        {
            throw new ObjectDisposedException($"{nameof(ProcessPool)}.{nameof(ProcessPoolExecutor)}");
        }
#pragma warning restore CA1513
    }

    public Task ShutdownAsync(bool cancelPending) => _shutdown.ShutdownAsync(cancelPending);

    public Task ShutdownAsync(bool cancelPending, TimeSpan timeout) => _shutdown.ShutdownAsync(cancelPending, timeout);

    public Task Abort(AbortMode mode) => _shutdown.Abort(mode);

    public void OnReply(IWorker channel, Frame frame, bool dispatch)
    {
        using (frame)
        {
            bool canceled = frame.Type == MessageType.Canceled;
            var result = canceled ? default : ResultMessage.Read(frame.Body);
            long callId = canceled ? CallIdMessage.Read(frame.Body).CallId : result.CallId;
            bool overMemory = _state.Options.MaxWorkerMemory is { } maxMemory && channel.ResidentBytes() > maxMemory; // before the caller sees its result
            Call? call;
            var outcome = ReplyOutcome.Deliver;
            var pumped = default(Pumped);
            WorkerSlot worker;
            lock (_state.Gate)
            {
                worker = _state.Slots[channel.Id];
                long now = _state.Clock.Now;
                if (!canceled)
                {
                    worker.LastAnsweredAt = now; // Canceled answers (to withdrawals) are no sign of progress
                }

                if (worker.InFlight.Remove(callId, out call))
                {
                    outcome = _outcomes.OnAnsweredLocked(worker, call, canceled, result);
                    if (outcome is ReplyOutcome.Deliver or ReplyOutcome.TimedOut)
                    {
                        _state.BeginEndingLocked(1);
                    }

                    if (!canceled)
                    {
                        worker.Window.Observe(result.ElapsedTicks);
                    }

                    _state.StartFailures = 0; // workers can start and run: forget earlier start failures
                }

                int starts = overMemory ? _lifetime.CondemnLocked(worker) : 0;
                _deadlines.OnWorkerProgressLocked(worker, now);
                if (dispatch)
                {
                    pumped = _dispatcher.PumpLocked();
                    _dispatcher.RebalanceLocked();
                }

                pumped = pumped with { Starts = pumped.Starts + starts };
                _state.CheckDrainedLocked();
            }

            _dispatcher.Release(pumped);
            if (call is not null) // else an answer to a call that had already ended (withdrawn, or its worker given up for dead)
            {
                _outcomes.EndAnswered(worker, call, outcome, canceled, result);
            }
        }
    }

    public void OnRepliesHandled(IWorker channel) => _dispatcher.Dispatch();

    public void OnDisconnected(IWorker channel, Exception? error) => _lifetime.OnDisconnected(channel, error);
}

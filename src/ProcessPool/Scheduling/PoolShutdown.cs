using System.Runtime.InteropServices;

namespace ProcessPool.Scheduling;

/// <summary>How far <see cref="PoolShutdown.Abort"/> goes with the calls still running.</summary>
internal enum AbortMode
{
    /// <summary>Signal their tokens, wait the kill grace period, then kill the workers still running them.</summary>
    CancelThenKill,

    /// <summary>SIGTERM every worker now, SIGKILL those still there after the grace period (Python's <c>terminate_workers</c>).</summary>
    Terminate,

    /// <summary>SIGKILL every worker now (Python's <c>kill_workers</c>).</summary>
    Kill,
}

/// <summary>
/// Ending the pool: the graceful path (drain, then tell workers to leave, then kill stragglers) and the
/// forceful one (<see cref="Abort"/>: Ctrl-C, a bounded shutdown out of time, KillWorkers, TerminateWorkers).
/// </summary>
internal sealed class PoolShutdown
{
    /// <summary>How long workers told to leave get before those still there are killed.</summary>
    public static readonly TimeSpan ExitGracePeriod = TimeSpan.FromSeconds(5);

    private readonly SchedulerState _state;
    private readonly Dispatcher _dispatcher;
    private readonly Deadlines _deadlines;
    private readonly WorkerLifetime _lifetime;
    private readonly PosixSignalRegistration? _ctrlC;
    private Task? _closed;
    private int _ctrlCPressed;

    public PoolShutdown(SchedulerState state, Dispatcher dispatcher, Deadlines deadlines, WorkerLifetime lifetime)
    {
        _state = state;
        _dispatcher = dispatcher;
        _deadlines = deadlines;
        _lifetime = lifetime;
        if (state.Options.CancelOnCtrlC)
        {
            try
            {
                _ctrlC = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnCtrlC);
            }
            catch (PlatformNotSupportedException)
            {
                // no console signals here: nothing to cancel on
            }
        }
    }

    /// <summary>
    /// Stops taking calls; with <paramref name="cancelPending"/>, cancels those that have not started.
    /// The returned task completes when all other calls have ended and every worker has exited.
    /// </summary>
    public Task ShutdownAsync(bool cancelPending)
    {
        List<Call> canceled = [];
        Task closed;
        lock (_state.Gate)
        {
            closed = BeginLocked();
            if (cancelPending)
            {
                canceled = CancelPendingLocked(signalRunning: false);
            }

            _state.CheckDrainedLocked();
        }

        canceled.ForEach(c => c.Cancel());
        _state.Ended(canceled.Count);
        return closed;
    }

    /// <summary>
    /// Shuts down within <paramref name="timeout"/>: running calls may finish until then; after it,
    /// everything left is cancelled and, a grace period later, the workers still busy are killed.
    /// </summary>
    public async Task ShutdownAsync(bool cancelPending, TimeSpan timeout)
    {
        var closed = ShutdownAsync(cancelPending);
        if (timeout != Timeout.InfiniteTimeSpan && await Task.WhenAny(_state.Drained.Task, _state.Clock.Delay(timeout)).ConfigureAwait(false) != _state.Drained.Task)
        {
            _ = Abort(AbortMode.CancelThenKill);
        }

        await closed.ConfigureAwait(false);
    }

    /// <summary>
    /// Shuts down now: queued calls end cancelled, running ones are signalled and their workers are
    /// ended as <paramref name="mode"/> says; calls that were running on a killed worker end cancelled.
    /// Returns the task that completes once every worker has exited.
    /// </summary>
    public Task Abort(AbortMode mode)
    {
        List<Call> canceled;
        List<WorkerSlot> workers;
        Task closed;
        lock (_state.Gate)
        {
            _state.Aborted = true;
            closed = BeginLocked();
            canceled = CancelPendingLocked(signalRunning: true);
            workers = [.. _state.Workers];
            if (mode != AbortMode.CancelThenKill)
            {
                workers.ForEach(w => w.Killed.ByPool = true);
            }

            _state.CheckDrainedLocked();
        }

        canceled.ForEach(c => c.Cancel());
        _state.Ended(canceled.Count);
        switch (mode)
        {
            case AbortMode.Kill:
                workers.ForEach(w => w.Worker.Kill());
                _state.Factory.KillStarting();
                break;
            case AbortMode.Terminate:
                workers.ForEach(w => w.Worker.Terminate());
                _state.Factory.KillStarting();
                _ = KillAfterGraceAsync(workers, onlyBusy: false);
                break;
            default:
                _ = KillAfterGraceAsync(workers, onlyBusy: true);
                break;
        }

        return closed;
    }

    /// <summary>
    /// The first Ctrl-C cancels everything (tokens signalled, workers killed after the grace period) and,
    /// if there was work to cancel, keeps the app alive to see its tasks end cancelled; a second one (or
    /// the first, when the pool was idle) ends the app as usual. The registration holds the scheduler,
    /// not the executor, so an abandoned pool can still be collected.
    /// </summary>
    private void OnCtrlC(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _ctrlCPressed, 1) == 0)
        {
            bool hadWork;
            lock (_state.Gate)
            {
                hadWork = _state.HasWorkLocked();
            }

            context.Cancel |= hadWork;
            _ = Abort(AbortMode.CancelThenKill);
        }
    }

    private async Task KillAfterGraceAsync(List<WorkerSlot> workers, bool onlyBusy)
    {
        await Task.WhenAny(onlyBusy ? _state.Drained.Task : _state.Exited.Task, _state.Clock.Delay(_state.Options.KillGracePeriod)).ConfigureAwait(false);
        lock (_state.Gate)
        {
            workers.RemoveAll(w => w.State == WorkerState.Gone || (onlyBusy && w.IsIdle));
            workers.ForEach(w => w.Killed.ByPool = true);
        }

        workers.ForEach(w => w.Worker.Kill());
    }

    private Task BeginLocked()
    {
        _state.AssertHeld();
        if (!_state.Shutdown)
        {
            _state.Shutdown = true;
            _closed = CloseWhenDrainedAsync();
            _state.Queue.FailRoomWaiters(new ObjectDisposedException(nameof(ProcessPoolExecutor), "The pool was shut down while waiting for room in its queue."));
            _state.Readiness.FailAllLocked(new ObjectDisposedException(nameof(ProcessPoolExecutor), "The pool was shut down while its workers were starting."));
        }

        return _closed!;
    }

    /// <summary>
    /// Takes every call that has not started out of the queue (the caller cancels them outside the
    /// lock) and has workers withdraw those sent but not started; with <paramref name="signalRunning"/>,
    /// the running ones have their token signalled too.
    /// </summary>
    private List<Call> CancelPendingLocked(bool signalRunning)
    {
        _state.AssertHeld();
        _state.CancelPending = true;
        var canceled = _state.Queue.TakeAll();
        canceled.AddRange(_state.AwaitingRetry);
        _state.AwaitingRetry.Clear();
        _state.BeginEndingLocked(canceled.Count);

        // Calls already sent but not started are withdrawn by their worker, which answers Canceled;
        // Cancel also signals a running call's token, Withdraw leaves it running.
        foreach (var worker in _state.Workers)
        {
            foreach (long callId in worker.InFlight.Keys)
            {
                if (signalRunning)
                {
                    worker.Worker.SendCancel(callId);
                }
                else
                {
                    worker.Worker.SendWithdraw(callId);
                }
            }
        }

        return canceled;
    }

    private async Task CloseWhenDrainedAsync()
    {
        await _state.Drained.Task.ConfigureAwait(false);
        lock (_state.Gate)
        {
            _lifetime.RetireAllLocked();
            _state.CheckExitedLocked();
        }

        // Workers leave on their own once told; the few that do not (or are still starting) are killed.
        for (int attempt = 0; attempt < 3 && !_state.Exited.Task.IsCompleted; attempt++)
        {
            if (attempt > 0)
            {
                List<WorkerSlot> stragglers;
                lock (_state.Gate)
                {
                    stragglers = [.. _state.Retiring];
                }

                stragglers.ForEach(w => w.Worker.Kill()); // outside the lock: a kill walks /proc for the process tree
                _state.Factory.KillStarting();
            }

            await Task.WhenAny(_state.Exited.Task, _state.Clock.Delay(ExitGracePeriod)).ConfigureAwait(false);
        }

        lock (_state.Gate)
        {
            _ctrlC?.Dispose();
            _lifetime.CloseLocked();
            _dispatcher.Close();
            _deadlines.CloseLocked();
        }

        _state.Factory.Dispose();
    }
}

using System.Runtime.InteropServices;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>How far <see cref="Scheduler.Abort"/> goes with the calls still running.</summary>
internal enum AbortMode
{
    /// <summary>Signal their tokens, wait the kill grace period, then kill the workers still running them.</summary>
    CancelThenKill,

    /// <summary>SIGTERM every worker now, SIGKILL those still there after the grace period (Python's <c>terminate_workers</c>).</summary>
    Terminate,

    /// <summary>SIGKILL every worker now (Python's <c>kill_workers</c>).</summary>
    Kill,
}

// Shutdown: the graceful path (drain, then tell workers to leave) and the forceful one (Abort).
internal sealed partial class Scheduler
{
    private volatile bool _aborted;

    /// <summary>
    /// Whether the pool was shut down by force (<see cref="Abort"/>: Ctrl-C, a bounded shutdown that ran
    /// out of time, KillWorkers, TerminateWorkers), cancelling its running work; set before any call
    /// is cancelled for it.
    /// </summary>
    public bool IsAborted => _aborted;

    /// <summary>
    /// Stops taking calls; with <paramref name="cancelPending"/>, cancels those that have not started.
    /// The returned task completes when all other calls have ended and every worker has exited.
    /// </summary>
    public Task ShutdownAsync(bool cancelPending)
    {
        List<Call> canceled = [];
        Task closed;
        lock (_gate)
        {
            closed = BeginShutdownLocked();
            if (cancelPending)
            {
                canceled = CancelPendingLocked(signalRunning: false);
            }

            CheckDrainedLocked();
        }

        canceled.ForEach(c => c.Cancel());
        Ended(canceled.Count);
        return closed;
    }

    /// <summary>
    /// Shuts down within <paramref name="timeout"/>: running calls may finish until then; after it,
    /// everything left is cancelled and, a grace period later, the workers still busy are killed.
    /// </summary>
    public async Task ShutdownAsync(bool cancelPending, TimeSpan timeout)
    {
        var closed = ShutdownAsync(cancelPending);
        if (timeout != Timeout.InfiniteTimeSpan && await Task.WhenAny(_drained.Task, Task.Delay(Timestamps.Bounded(timeout))).ConfigureAwait(false) != _drained.Task)
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
        List<WorkerConnection> workers;
        Task closed;
        lock (_gate)
        {
            _aborted = true;
            closed = BeginShutdownLocked();
            canceled = CancelPendingLocked(signalRunning: true);
            workers = [.. _workers];
            workers.ForEach(w => w.KilledByPool |= mode != AbortMode.CancelThenKill);

            CheckDrainedLocked();
        }

        canceled.ForEach(c => c.Cancel());
        Ended(canceled.Count);
        switch (mode)
        {
            case AbortMode.Kill:
                workers.ForEach(w => w.Kill());
                _launcher.KillStarting();
                break;
            case AbortMode.Terminate:
                workers.ForEach(w => w.Terminate());
                _launcher.KillStarting();
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
            lock (_gate)
            {
                hadWork = _queue.Count + _waitingForRoom.Count + _awaitingRetry.Count > 0 || _workers.Exists(w => w.InFlight.Count > 0);
            }

            context.Cancel |= hadWork;
            _ = Abort(AbortMode.CancelThenKill);
        }
    }

    private async Task KillAfterGraceAsync(List<WorkerConnection> workers, bool onlyBusy)
    {
        await Task.WhenAny(onlyBusy ? _drained.Task : _exited.Task, Task.Delay(Timestamps.Bounded(_options.KillGracePeriod))).ConfigureAwait(false);
        lock (_gate)
        {
            workers.RemoveAll(w => w.Disconnected || (onlyBusy && w.InFlight.Count == 0));
            workers.ForEach(w => w.KilledByPool = true);
        }

        workers.ForEach(w => w.Kill());
    }

    private Task BeginShutdownLocked()
    {
        if (!_shutdown)
        {
            _shutdown = true;
            _closed = CloseWhenDrainedAsync();
            while (_roomWaiters.TryDequeue(out var waiter))
            {
                waiter.TrySetException(new ObjectDisposedException(nameof(ProcessPoolExecutor), "The pool was shut down while waiting for room in its queue."));
            }
        }

        return _closed!;
    }

    /// <summary>
    /// Takes every call that has not started out of the queues (the caller cancels them outside the
    /// lock) and has workers withdraw those sent but not started; with <paramref name="signalRunning"/>,
    /// the running ones have their token signalled too.
    /// </summary>
    private List<Call> CancelPendingLocked(bool signalRunning)
    {
        _cancelPending = true;
        var canceled = new List<Call>();
        foreach (var list in (LinkedList<Call>[])[_queue, _waitingForRoom])
        {
            while (list.First is { } node)
            {
                list.RemoveFirst();
                node.Value.QueueNode = null;
                canceled.Add(node.Value);
            }
        }

        canceled.AddRange(_awaitingRetry);
        _awaitingRetry.Clear();
        BeginEndingLocked(canceled.Count);

        // Calls already sent but not started are withdrawn by their worker, which answers Canceled;
        // Cancel also signals a running call's token, Withdraw leaves it running.
        foreach (var worker in _workers)
        {
            foreach (long callId in worker.InFlight.Keys)
            {
                if (signalRunning)
                {
                    worker.SendCancel(callId);
                }
                else
                {
                    worker.SendWithdraw(callId);
                }
            }
        }

        return canceled;
    }

    private async Task CloseWhenDrainedAsync()
    {
        await _drained.Task.ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var worker in _workers)
            {
                worker.Retiring = true;
                worker.SendShutdown();
                _retiring.Add(worker);
            }

            _workers.Clear();
            _condemned = 0;
            CheckExitedLocked();
        }

        // Workers leave on their own once told; the few that do not (or are still starting) are killed.
        for (int attempt = 0; attempt < 3 && !_exited.Task.IsCompleted; attempt++)
        {
            if (attempt > 0)
            {
                List<WorkerConnection> stragglers;
                lock (_gate)
                {
                    stragglers = [.. _retiring];
                }

                stragglers.ForEach(w => w.Kill()); // outside the lock: a kill walks /proc for the process tree
                _launcher.KillStarting();
            }

            await Task.WhenAny(_exited.Task, Task.Delay(ExitGracePeriod)).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _ctrlC?.Dispose();
            _memorySampler?.Dispose();
            _rebalanceTimer?.Dispose();
            _watchdog?.Dispose();
            _watchdogDue = 0; // nothing is scheduled any more
        }

        _endpoint.Dispose();
    }
}

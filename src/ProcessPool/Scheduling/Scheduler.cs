using System.Diagnostics;
using System.Runtime.InteropServices;
using ProcessPool.Protocol;
using ProcessPool.Serialization;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>
/// The pool's one scheduler. It owns, under one lock, the queue of calls waiting for a worker and the
/// table of live workers. Calls go to an idle worker if there is one, else a new worker is started (up to
/// <see cref="ProcessPoolOptions.MaxWorkers"/>), else they go to the least-loaded worker with room in its
/// in-flight window (<see cref="CallWindow"/>), so its pipe never idles between calls.
/// A worker that dies fails only the call it was running (the oldest it had been sent: workers run calls
/// in order); the calls queued behind it go back to the front of the queue, and a replacement starts.
/// </summary>
internal sealed partial class Scheduler : IWorkerEvents
{
    private const int MaxConsecutiveStartFailures = 3;
    private static readonly TimeSpan ExitGracePeriod = TimeSpan.FromSeconds(5);

    /// <summary>A call running this long with calls waiting behind it gives them up to an idle worker.</summary>
    private static readonly TimeSpan LongCallAge = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private readonly ProcessPoolOptions _options;
    private readonly WorkerLauncher _launcher;
    private readonly WorkerEndpoint _endpoint;
    private readonly LinkedList<Call> _queue = new();
    private readonly LinkedList<Call> _waitingForRoom = new(); // beyond MaxQueuedTasks
    private readonly HashSet<Call> _awaitingRetry = [];
    private readonly Queue<TaskCompletionSource> _roomWaiters = new(); // producers waiting for the queue to have room
    private readonly List<WorkerConnection> _workers = [];
    private readonly List<WorkerConnection> _retiring = [];
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _starting;
    private int _lastWorkerId;
    private long _lastCallId;
    private long _lastSendOrder;
    private int _startFailures;
    private Exception? _broken;
    private volatile bool _shutdown;
    private int _ending; // calls taken out of the queues or a worker under the lock, not yet ended outside it
    private bool _cancelPending;
    private Task? _closed;
    private Timer? _rebalanceTimer;
    private int _condemned; // workers in _workers that take no more calls: they do not count against MaxWorkers
    private PosixSignalRegistration? _ctrlC;
    private Timer? _memorySampler;
    private int _ctrlCPressed;

    public Scheduler(ProcessPoolOptions options, WorkerLauncher launcher, WorkerEndpoint endpoint)
    {
        _options = options;
        _launcher = launcher;
        _endpoint = endpoint;
        if (options.CancelOnCtrlC)
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

    /// <summary>Where large arrays of this pool's calls go (see <see cref="Serialization.SharedMemory"/>).</summary>
    public string SegmentDirectory => _endpoint.Directory;

    public bool IsShutdown
    {
        get
        {
            lock (_gate)
            {
                return _shutdown;
            }
        }
    }

    public (int Queued, int WaitingForRoom) Counts
    {
        get
        {
            lock (_gate)
            {
                return (_queue.Count, _waitingForRoom.Count);
            }
        }
    }

    public IReadOnlyList<WorkerInfo> Workers
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Select(w => new WorkerInfo(w.Id, w.ProcessId, w.StartedAt, w.TasksCompleted, w.InFlight.Count))];
            }
        }
    }

    /// <summary>Completes when the queue holds fewer than <see cref="ProcessPoolOptions.MaxQueuedTasks"/> tasks (at once without a bound).</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown, typeof(ProcessPoolExecutor));
            if (FreeRoomLocked > 0 && _roomWaiters.Count == 0)
            {
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _roomWaiters.Enqueue(waiter);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Queues a call. Throws <see cref="ObjectDisposedException"/> once shutdown has begun.</summary>
    public void Enqueue(Call call)
    {
        Exception? broken;
        var pumped = default(Pumped);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_shutdown, typeof(ProcessPoolExecutor));
            broken = _broken;
            if (broken is null)
            {
                call.Id = ++_lastCallId;
                call.QueueNode = _options.MaxQueuedTasks is { } max && (_waitingForRoom.Count > 0 || _queue.Count >= max)
                    ? _waitingForRoom.AddLast(call) // admitted in order as the queue drains
                    : _queue.AddLast(call);
                pumped = PumpLocked();
            }
        }

        if (broken is not null)
        {
            call.Fail(broken);
            return;
        }

        call.RegisterCancellation(this);
        Release(pumped);
    }

    /// <summary>
    /// The call's token fired: withdraw it if it is still queued (or waiting to be retried), else ask its
    /// worker to cancel it, and in <see cref="CancellationMode.Kill"/> kill the worker if it is still
    /// running after the grace period.
    /// </summary>
    public void CancelCall(Call call)
    {
        bool withdrawn = false;
        lock (_gate)
        {
            if (call.QueueNode is { } node)
            {
                node.List!.Remove(node);
                call.QueueNode = null;
                withdrawn = true;
                BeginEndingLocked(1);
                WakeRoomWaitersLocked();
            }
            else if (_awaitingRetry.Remove(call))
            {
                withdrawn = true;
                BeginEndingLocked(1);
            }
            else if (call.Worker is { } worker)
            {
                worker.SendCancel(call.Id);
                if (call.Policy.CancellationMode == CancellationMode.Kill && call.KillAt == 0)
                {
                    call.KillAt = Timestamps.After(Stopwatch.GetTimestamp(), call.Policy.KillGracePeriod);
                    ScheduleWatchdogLocked(call.KillAt);
                }
            }
        }

        if (withdrawn)
        {
            call.Cancel();
            Ended(1);
        }
    }

    public void OnReply(WorkerConnection worker, Frame frame, bool dispatch)
    {
        using (frame)
        {
            bool canceled = frame.Type == MessageType.Canceled;
            var result = canceled ? default : ResultMessage.Read(frame.Body);
            long callId = canceled ? CallIdMessage.Read(frame.Body).CallId : result.CallId;
            bool overMemory = _options.MaxWorkerMemory is { } maxMemory && worker.Process.ResidentBytes() > maxMemory; // before the caller sees its result
            Call? call;
            var outcome = ReplyOutcome.Deliver;
            var pumped = default(Pumped);
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                if (!canceled)
                {
                    worker.LastAnsweredAt = now; // Canceled answers (to withdrawals) are no sign of progress
                }

                if (worker.InFlight.Remove(callId, out call))
                {
                    outcome = OnCallAnsweredLocked(worker, call, canceled, result);
                    if (outcome is ReplyOutcome.Deliver or ReplyOutcome.TimedOut)
                    {
                        BeginEndingLocked(1);
                    }

                    if (!canceled)
                    {
                        worker.Window.Observe(result.ElapsedTicks);
                    }

                    _startFailures = 0; // workers can start and run: forget earlier start failures
                }

                int starts = overMemory ? CondemnLocked(worker) : 0;
                OnWorkerProgressLocked(worker, now);
                if (dispatch)
                {
                    pumped = PumpLocked();
                    RebalanceLocked();
                }

                pumped = pumped with { Starts = pumped.Starts + starts };
                CheckDrainedLocked();
            }

            Release(pumped);
            switch (outcome)
            {
                case ReplyOutcome.Requeued:
                    return;
                case ReplyOutcome.TimedOut:
                    call!.Fail(new TaskTimeoutException(call.Policy.Timeout!.Value, worker.Id, worker.ProcessId, workerKilled: false));
                    Ended(1);
                    return;
                case ReplyOutcome.MayRetry when RetryAfterFailure(call!, result):
                    return;
            }

            if (call is null)
            {
                return; // an answer to a call that had already ended (withdrawn, or its worker given up for dead)
            }

            if (canceled)
            {
                call.Cancel();
            }
            else
            {
                call.Complete(result);
            }

            Ended(1);
        }
    }

    /// <summary>What becomes of an answered call: delivered, requeued (rebalancing), failed as timed out, or retried.</summary>
    private ReplyOutcome OnCallAnsweredLocked(WorkerConnection worker, Call call, bool canceled, in ResultMessage result)
    {
        call.Worker = null;
        if (call.Policy.Timeout is not null)
        {
            worker.TimedCalls--;
        }

        bool rebalanced = call.Rebalancing;
        call.Rebalancing = false;
        if (canceled && rebalanced && !call.CancellationToken.IsCancellationRequested && !_cancelPending)
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

        if (!canceled && result.Error is not null && call.Policy.Retry?.RetryOnException is not null && call.Policy.MayRetryAfterCrash(call.Attempt)
            && !_cancelPending && !call.CancellationToken.IsCancellationRequested)
        {
            _awaitingRetry.Add(call); // held, so that shutdown waits for the decision
            return ReplyOutcome.MayRetry;
        }

        return ReplyOutcome.Deliver;
    }

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

        lock (_gate)
        {
            if (!_awaitingRetry.Contains(call))
            {
                return true; // cancelled meanwhile: whoever took it out ended it
            }

            if (!retry)
            {
                _awaitingRetry.Remove(call);
                BeginEndingLocked(1); // the caller delivers the failure
                return false;
            }

            ScheduleRetryLocked(call, failure);
        }

        return true;
    }

    /// <summary>
    /// Puts a call taken back from a worker (withdrawn, orphaned by a crash, or retried) at the front of
    /// the queue under a new id (its old worker may still hold the old one).
    /// </summary>
    private void RequeueLocked(Call call)
    {
        call.Id = ++_lastCallId;
        call.Deadline = 0;
        call.KillAt = 0;
        call.TimedOut = false;
        call.QueueNode = RequeueInSendOrderLocked(call);
    }

    /// <summary>
    /// Puts a call taken back from a worker at the front of the queue, among the other such calls in
    /// the order they were first sent: Map waits on the oldest.
    /// </summary>
    private LinkedListNode<Call> RequeueInSendOrderLocked(Call call)
    {
        var node = _queue.First;
        while (node is not null && node.Value.SendOrder != 0 && node.Value.SendOrder < call.SendOrder)
        {
            node = node.Next;
        }

        return node is null ? _queue.AddLast(call) : _queue.AddBefore(node, call);
    }

    public void OnRepliesHandled(WorkerConnection worker)
    {
        Pumped pumped;
        lock (_gate)
        {
            pumped = PumpLocked();
            RebalanceLocked();
        }

        Release(pumped);
    }

    public void OnDisconnected(WorkerConnection worker, Exception? error)
    {
        bool expected;
        lock (_gate)
        {
            worker.Disconnected = true; // from now on nothing is sent to it
            expected = worker.Retiring;
        }

        // A frame cut short (the worker died while writing it) is a crash like any other; a malformed
        // frame is a protocol error, and a worker that sends one is not trusted to leave on its own.
        bool malformed = error is ProtocolException { CutShort: false };
        bool killGroup = _options.KillWorkerDescendants; // whatever ended the worker, its descendants go with it
        if (malformed || !worker.Process.WaitForExitAndOutput(ExitGracePeriod, killGroup))
        {
            worker.Kill();
            worker.Process.WaitForExitAndOutput(ExitGracePeriod, killGroup);
        }

        var (exitCode, signal) = worker.Process.ExitStatus();
        long killedAtMemory;
        lock (_gate)
        {
            killedAtMemory = worker.KilledAtMemory;
        }

        // An exception the worker reported, just before dying, as thrown outside any call.
        var outside = !malformed && killedAtMemory == 0 && worker.Unhandled is { } report ? new CrashOutsideTask(report, _options.AllowedTypes) : null;
        string? cause = killedAtMemory > 0
            ? $"the pool killed it because its memory ({killedAtMemory >> 20:N0} MiB) passed ProcessPoolOptions.WorkerMemoryLimit ({_options.WorkerMemoryLimit.GetValueOrDefault() >> 20:N0} MiB)"
            : outside?.Cause(repeated: false);
        WorkerCrashedException Crash(string? cause) =>
            new(worker.Id, worker.ProcessId, exitCode, signal, worker.Output.StandardErrorTail(), cause, outside?.Exception, outside?.Thread);
        Exception crash = malformed && error is ProtocolException protocolError
            ? new ProtocolException($"{worker.Name} sent a malformed message while running this task, so it was killed: {protocolError.Message}", protocolError)
            : Crash(cause);
        Call? running = null;
        var runningOutcome = CrashOutcome.Crashed;
        var canceled = new List<Call>();
        Pumped pumped;
        int ending;
        lock (_gate)
        {
            RemoveWorkerLocked(worker);
            _retiring.Remove(worker);
            var orphans = worker.InFlight.Values.OrderBy(c => c.SendOrder).ToList();
            worker.InFlight.Clear();
            if (orphans.Count > 0)
            {
                running = orphans[0];
                running.Worker = null;
                runningOutcome = OnRunningCallLostLocked(worker, running, crash, outside is not null);
                for (int i = orphans.Count - 1; i >= 1; i--)
                {
                    var call = orphans[i];
                    call.Worker = null;
                    call.Rebalancing = false;
                    if (call.CancellationToken.IsCancellationRequested || _cancelPending)
                    {
                        canceled.Add(call);
                    }
                    else
                    {
                        RequeueLocked(call);
                    }
                }
            }

            // A worker that died before doing anything counts as a failed start, unless it was killed
            // (by the pool, or by SIGKILL from outside, as chaos testing and the OOM killer do).
            if (!expected && running is null && worker.TasksCompleted == 0 && signal != 9 && !worker.KilledByPool)
            {
                _startFailures++;
            }

            pumped = PumpLocked();
            if (!expected && pumped.Starts == 0 && !_shutdown && CanGrowLocked && _startFailures < MaxConsecutiveStartFailures)
            {
                _starting++;
                pumped = pumped with { Starts = 1 }; // keep the pool at strength after a crash
            }

            ending = canceled.Count + (running is not null && runningOutcome != CrashOutcome.Retried ? 1 : 0);
            BeginEndingLocked(ending);
            CheckDrainedLocked();
            CheckExitedLocked();
        }

        if (outside is not null)
        {
            // Reported even when no task fails for it.
            worker.Output.Forward(isError: true, outside.Note(running, runningOutcome));
        }

        SharedMemory.DeleteAll(SegmentDirectory, SegmentNames.Result(worker.Id)); // results it wrote and never sent
        SharedMemory.DeleteAll(SegmentDirectory, SegmentNames.SpareOf(SegmentNames.Result(worker.Id))); // and its spare files
        switch (runningOutcome)
        {
            case CrashOutcome.TimedOut:
                running!.Fail(new TaskTimeoutException(running.Policy.Timeout!.Value, worker.Id, worker.ProcessId, workerKilled: true));
                break;
            case CrashOutcome.Canceled:
                running!.Cancel();
                break;
            case CrashOutcome.Crashed:
                running?.Fail(running.EarlierFailures is { } earlier && crash is WorkerCrashedException crashed ? crashed.WithEarlierAttempts(earlier) : crash);
                break;
            case CrashOutcome.CrashedOutsideTaskAgain:
                running!.Fail(Crash(outside!.Cause(repeated: true)).WithEarlierAttempts(running.EarlierFailures ?? []));
                break;
        }

        canceled.ForEach(c => c.Cancel());
        Ended(ending);
        worker.Dispose();
        Release(pumped);
    }
}

using System.Diagnostics;
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
    private bool _shutdown;
    private bool _cancelPending;
    private Task? _closed;
    private Timer? _rebalanceTimer;

    public Scheduler(ProcessPoolOptions options, WorkerLauncher launcher, WorkerEndpoint endpoint)
    {
        _options = options;
        _launcher = launcher;
        _endpoint = endpoint;
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
                call.QueueNode = _queue.AddLast(call);
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

    /// <summary>The call's token fired: withdraw it if it is still queued, else ask its worker to cancel it.</summary>
    public void CancelCall(Call call)
    {
        bool withdrawn = false;
        lock (_gate)
        {
            if (call.QueueNode is { } node)
            {
                _queue.Remove(node);
                call.QueueNode = null;
                withdrawn = true;
                CheckDrainedLocked();
            }
            else
            {
                call.Worker?.SendCancel(call.Id);
            }
        }

        if (withdrawn)
        {
            call.Cancel();
        }
    }

    public void OnReply(WorkerConnection worker, Frame frame, bool dispatch)
    {
        using (frame)
        {
            bool canceled = frame.Type == MessageType.Canceled;
            var result = canceled ? default : ResultMessage.Read(frame.Body);
            long callId = canceled ? CallIdMessage.Read(frame.Body).CallId : result.CallId;
            Call? call;
            bool requeued = false;
            var pumped = default(Pumped);
            lock (_gate)
            {
                if (!canceled)
                {
                    worker.LastAnsweredAt = Stopwatch.GetTimestamp(); // Canceled answers (to withdrawals) are no sign of progress
                }

                if (worker.InFlight.Remove(callId, out call))
                {
                    call.Worker = null;
                    if (canceled && call.Rebalancing && !call.CancellationToken.IsCancellationRequested && !_cancelPending)
                    {
                        // Withdrawn from behind a long call for an idle worker: it goes back to the front of the queue.
                        call.Id = ++_lastCallId; // a new id: the worker may still hold the old one, withdrawn
                        call.QueueNode = RequeueInSendOrderLocked(call);
                        worker.TasksAssigned--;
                        requeued = true;
                    }
                    else
                    {
                        worker.TasksCompleted++;
                    }

                    call.Rebalancing = false;
                    if (!canceled)
                    {
                        worker.Window.Observe(result.ElapsedTicks);
                    }

                    _startFailures = 0; // workers can start and run: forget earlier start failures
                }

                RetireIfSpentLocked(worker);
                if (dispatch)
                {
                    pumped = PumpLocked();
                    RebalanceLocked();
                }

                CheckDrainedLocked();
            }

            Release(pumped);
            if (requeued)
            {
                return;
            }

            if (canceled)
            {
                call?.Cancel();
            }
            else
            {
                call?.Complete(result);
            }
        }
    }

    /// <summary>
    /// Puts a call taken back from a worker (withdrawn, or orphaned by a crash) at the front of the queue,
    /// among the other such calls in the order they were first sent: Map waits on the oldest.
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

        if (!worker.Process.WaitForExitAndOutput(ExitGracePeriod))
        {
            worker.Kill();
            worker.Process.WaitForExitAndOutput(ExitGracePeriod);
        }

        var (exitCode, signal) = worker.Process.ExitStatus();
        Call? running = null;
        var canceled = new List<Call>();
        Pumped pumped;
        lock (_gate)
        {
            _workers.Remove(worker);
            _retiring.Remove(worker);
            var orphans = worker.InFlight.Values.OrderBy(c => c.SendOrder).ToList();
            worker.InFlight.Clear();
            if (orphans.Count > 0)
            {
                running = orphans[0];
                running.Worker = null;
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
                        call.QueueNode = RequeueInSendOrderLocked(call);
                    }
                }
            }

            if (!expected && running is null && worker.TasksCompleted == 0)
            {
                _startFailures++; // it died before doing anything: as good as a failed start
            }

            pumped = PumpLocked();
            if (!expected && pumped.Starts == 0 && !_shutdown && CanGrowLocked && _startFailures < MaxConsecutiveStartFailures)
            {
                _starting++;
                pumped = pumped with { Starts = 1 }; // keep the pool at strength after a crash
            }

            CheckDrainedLocked();
            CheckExitedLocked();
        }

        SharedMemory.DeleteAll(SegmentDirectory, $"r{worker.Id}-"); // results it wrote and never sent
        SharedMemory.DeleteAll(SegmentDirectory, $"free-r{worker.Id}-"); // and its spare files
        running?.Fail(new WorkerCrashedException(worker.Id, worker.ProcessId, exitCode, signal, worker.Output.StandardErrorTail()));
        canceled.ForEach(c => c.Cancel());
        worker.Dispose();
        Release(pumped);
    }

    /// <summary>
    /// Stops taking calls; with <paramref name="cancelPending"/>, cancels those that have not started.
    /// The returned task completes when all other calls have ended and every worker has exited.
    /// </summary>
    public Task ShutdownAsync(bool cancelPending)
    {
        var canceled = new List<Call>();
        Task closed;
        lock (_gate)
        {
            if (!_shutdown)
            {
                _shutdown = true;
                _closed = CloseWhenDrainedAsync();
            }

            if (cancelPending)
            {
                _cancelPending = true;
                while (_queue.First is { } node)
                {
                    _queue.RemoveFirst();
                    node.Value.QueueNode = null;
                    canceled.Add(node.Value);
                }

                // Calls already sent but not started are withdrawn by their worker, which answers Canceled.
                foreach (var worker in _workers)
                {
                    foreach (long callId in worker.InFlight.Keys)
                    {
                        worker.SendWithdraw(callId);
                    }
                }
            }

            CheckDrainedLocked();
            closed = _closed!;
        }

        canceled.ForEach(c => c.Cancel());
        return closed;
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
            CheckExitedLocked();
        }

        // Workers leave on their own once told; the few that do not (or are still starting) are killed.
        for (int attempt = 0; attempt < 3 && !_exited.Task.IsCompleted; attempt++)
        {
            if (attempt > 0)
            {
                lock (_gate)
                {
                    _retiring.ForEach(w => w.Kill());
                }

                _launcher.KillStarting();
            }

            await Task.WhenAny(_exited.Task, Task.Delay(ExitGracePeriod)).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _rebalanceTimer?.Dispose();
        }

        _endpoint.Dispose();
    }
}

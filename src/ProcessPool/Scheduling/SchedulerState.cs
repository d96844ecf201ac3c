using System.Diagnostics;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>
/// The state the scheduler's parts share, under one lock (<see cref="Gate"/>): the queue, the workers,
/// the calls between attempts, and the pool's counters and flags. Members named *Locked, and the
/// mutable fields, are for holders of the lock only.
/// </summary>
internal sealed class SchedulerState
{
    private int _ending; // calls taken out of the queue or a worker under the lock, not yet ended outside it

    public SchedulerState(ProcessPoolOptions options, IWorkerFactory factory, Clock clock)
    {
        Options = options;
        Factory = factory;
        Clock = clock;
        Queue = new CallQueue(Gate, options.MaxQueuedTasks);
        Readiness = new WorkerReadiness(Gate);
    }

    public Lock Gate { get; } = new();

    public ProcessPoolOptions Options { get; }

    public IWorkerFactory Factory { get; }

    public Clock Clock { get; }

    public CallQueue Queue { get; }

    /// <summary>Callers waiting for workers to be ready (<see cref="Scheduler.StartAsync"/>).</summary>
    public WorkerReadiness Readiness { get; }

    /// <summary>Calls between attempts: waiting out a retry's back-off, or for the retry policy's decision.</summary>
    public HashSet<Call> AwaitingRetry { get; } = [];

    /// <summary>Workers that take calls, or finish theirs (condemned).</summary>
    public List<WorkerSlot> Workers { get; } = [];

    /// <summary>Workers told to leave, until their exit is reported.</summary>
    public List<WorkerSlot> Retiring { get; } = [];

    /// <summary>Every worker whose exit has not been reported yet, by id.</summary>
    public Dictionary<int, WorkerSlot> Slots { get; } = [];

    /// <summary>Completes once shut down with nothing left to run or end.</summary>
    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once drained and every worker has exited.</summary>
    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Workers being started.</summary>
    public int Starting;

    /// <summary>Workers in <see cref="Workers"/> that take no more calls: they do not count against MaxWorkers.</summary>
    public int Condemned;

    public int LastWorkerId;
    public long LastCallId;
    public long LastSendOrder;

    /// <summary>Workers that failed to start (or died before doing anything) since one last answered.</summary>
    public int StartFailures;

    /// <summary>Why no worker can ever start (the initializer fails): every call fails with it.</summary>
    public Exception? Broken;

    /// <summary>Shutdown has begun: no new calls.</summary>
    public volatile bool Shutdown;

    /// <summary>Shut down by force (<see cref="AbortMode"/>), set before any call is cancelled for it.</summary>
    public volatile bool Aborted;

    /// <summary>Calls that have not started are cancelled, and nothing is requeued or retried.</summary>
    public bool CancelPending;

    public bool CanGrowLocked => Broken is null && Workers.Count - Condemned + Starting < Options.MaxWorkers;

    /// <summary>Workers that take calls: started, and neither condemned nor retired.</summary>
    public int ActiveLocked => Workers.Count - Condemned;

    [Conditional("DEBUG")]
    public void AssertHeld() => Debug.Assert(Gate.IsHeldByCurrentThread, "The scheduler's lock must be held.");

    /// <summary>
    /// Counts calls the caller has taken out of the queue or a worker under the lock and will end
    /// outside it: until they have ended, the pool is not drained, so that a shutdown never completes
    /// before the last task does.
    /// </summary>
    public void BeginEndingLocked(int count)
    {
        AssertHeld();
        Interlocked.Add(ref _ending, count);
    }

    /// <summary>Outside the lock, after ending calls counted by <see cref="BeginEndingLocked"/>.</summary>
    public void Ended(int count)
    {
        if (count > 0 && Interlocked.Add(ref _ending, -count) == 0 && Shutdown)
        {
            lock (Gate)
            {
                CheckDrainedLocked();
            }
        }
    }

    public void CheckDrainedLocked()
    {
        AssertHeld();
        if (Shutdown && Queue.IsEmpty && AwaitingRetry.Count == 0 && Volatile.Read(ref _ending) == 0
            && Workers.TrueForAll(w => w.IsIdle))
        {
            Drained.TrySetResult();
        }
    }

    public void CheckExitedLocked()
    {
        AssertHeld();
        if (Drained.Task.IsCompleted && Workers.Count == 0 && Retiring.Count == 0 && Starting == 0)
        {
            Exited.TrySetResult();
        }
    }

    /// <summary>Whether anything is queued, between attempts or running.</summary>
    public bool HasWorkLocked()
    {
        AssertHeld();
        return !Queue.IsEmpty || AwaitingRetry.Count > 0 || Workers.Exists(w => !w.IsIdle);
    }
}

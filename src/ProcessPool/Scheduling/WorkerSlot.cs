using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>Where a worker is in its life, as the scheduler sees it. It only moves forward.</summary>
internal enum WorkerState
{
    /// <summary>Takes calls.</summary>
    Active,

    /// <summary>
    /// Takes no new calls and leaves once idle: it has run its <see cref="ProcessPoolOptions.MaxTasksPerWorker"/>
    /// or outgrown <see cref="ProcessPoolOptions.MaxWorkerMemory"/>. Its replacement started when it was condemned.
    /// </summary>
    Condemned,

    /// <summary>Told to leave; its disconnection is expected, not a crash.</summary>
    Retiring,

    /// <summary>Its channel is down: nothing more is sent to it.</summary>
    Gone,
}

/// <summary>
/// Why the pool killed a worker. The reasons are independent, as they can pile up in the moments before
/// the exit is processed (a timeout kill, then the pool's shutdown); <see cref="Outcomes"/> weighs them.
/// </summary>
internal sealed class KillReasons
{
    /// <summary>The call it was last killed for: its timeout, or its cancellation in kill mode.</summary>
    public Call? For { get; set; }

    /// <summary>Killed by the pool's shutdown: its calls end cancelled, not crashed.</summary>
    public bool ByPool { get; set; }

    /// <summary>Its resident memory when killed for passing <see cref="ProcessPoolOptions.WorkerMemoryLimit"/>; 0 otherwise.</summary>
    public long AtMemory { get; set; }
}

/// <summary>
/// The scheduler's bookkeeping for one worker: the calls it holds, how many it may hold, its place in
/// its life and why it was killed. Guarded by the scheduler's lock; the worker itself is only the channel.
/// </summary>
internal sealed class WorkerSlot(IWorker worker, long now)
{
    public IWorker Worker { get; } = worker;

    public int Id => Worker.Id;

    /// <summary>Calls sent and not yet answered, by call id.</summary>
    public Dictionary<long, Call> InFlight { get; } = [];

    /// <summary>How many calls it may hold at once.</summary>
    public CallWindow Window { get; } = new();

    public WorkerState State { get; set; }

    /// <summary>Condemned once: it stopped counting against <see cref="ProcessPoolOptions.MaxWorkers"/>, whatever state it is in now.</summary>
    public bool Replaced { get; set; }

    /// <summary>Calls ever sent here (for <see cref="ProcessPoolOptions.MaxTasksPerWorker"/>).</summary>
    public int TasksAssigned { get; set; }

    /// <summary>Calls answered.</summary>
    public long TasksCompleted { get; set; }

    /// <summary>Calls in flight that have a timeout (their start must be watched).</summary>
    public int TimedCalls { get; set; }

    /// <summary>When it last answered a call, or got work while idle (a timestamp).</summary>
    public long LastAnsweredAt { get; set; } = now;

    /// <summary>When it last became idle (a timestamp).</summary>
    public long IdleSince { get; set; } = now;

    /// <summary>Why the pool killed it, if it did.</summary>
    public KillReasons Killed { get; } = new();

    /// <summary>Takes new calls: neither condemned, retiring nor gone.</summary>
    public bool TakesCalls => State == WorkerState.Active;

    public bool IsIdle => InFlight.Count == 0;

    /// <summary>The call it is running: it runs its calls in the order they were sent.</summary>
    public Call Head()
    {
        Call? head = null;
        foreach (var call in InFlight.Values)
        {
            if (head is null || call.SendOrder < head.SendOrder)
            {
                head = call;
            }
        }

        return head!;
    }

    public WorkerInfo ToInfo() => new(Id, Worker.ProcessId, Worker.StartedAt, TasksCompleted, InFlight.Count);
}

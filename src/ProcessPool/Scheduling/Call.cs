using ProcessPool.Invocation;
using ProcessPool.Protocol;

namespace ProcessPool.Scheduling;

/// <summary>
/// One unit of work on its way through the pool: a Submit, or one chunk of a Map. It ends exactly
/// once: with its result, an exception, or cancellation; later attempts to end it are ignored.
/// Members marked "scheduler" are guarded by the scheduler's lock.
/// </summary>
internal abstract class Call
{
    private readonly Lock _registrationLock = new();
    private CancellationTokenRegistration _registration;
    private int _ended;
    private readonly PreparedCall _prepared;
    private Scheduler? _owner;

    protected Call(PreparedCall prepared, int itemCount, CallPolicy policy, CancellationToken cancellationToken)
    {
        Policy = policy;
        Function = prepared.Function;
        Payload = prepared.Payload;
        _prepared = prepared;
        ItemCount = itemCount;
        CancellationToken = cancellationToken;
    }

    public long Id { get; set; }

    public FunctionDescriptor Function { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public int ItemCount { get; }

    public CancellationToken CancellationToken { get; }

    public CallPolicy Policy { get; }

    /// <summary>Scheduler: which attempt this is (1 for the first run; more after crashes, with a retry policy).</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>Scheduler: how many workers died of an exception outside any call while running it (<see cref="CrashOutsideTask"/>).</summary>
    public int CrashesOutsideTask { get; set; }

    /// <summary>Scheduler: the failures of earlier attempts.</summary>
    public List<Exception>? EarlierFailures { get; set; }

    /// <summary>Scheduler: when its timeout passes (a timestamp), once it is known to be running; 0 otherwise.</summary>
    public long Deadline { get; set; }

    /// <summary>Scheduler: it ran past its timeout and its token was signalled.</summary>
    public bool TimedOut { get; set; }

    /// <summary>Scheduler: when its worker is killed if it is still running (a timestamp); 0 when no kill is due.</summary>
    public long KillAt { get; set; }

    /// <summary>Scheduler: its place in the queue while it waits for a worker.</summary>
    public LinkedListNode<Call>? QueueNode { get; set; }

    /// <summary>Scheduler: the worker it was sent to, while it runs there.</summary>
    public WorkerSlot? Worker { get; set; }

    /// <summary>Scheduler: the order it was sent to its worker, which runs calls in that order.</summary>
    public long SendOrder { get; set; }

    /// <summary>Scheduler: withdrawn from its worker for an idle one; a Canceled answer requeues it.</summary>
    public bool Rebalancing { get; set; }

    public bool HasEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>Asks <paramref name="scheduler"/> to withdraw or cancel this call when its token fires.</summary>
    public void RegisterCancellation(Scheduler scheduler)
    {
        if (CancellationToken.CanBeCanceled)
        {
            _owner = scheduler;
            var registration = CancellationToken.UnsafeRegister(static state => ((Call)state!)._owner!.CancelCall((Call)state), this);
            lock (_registrationLock)
            {
                if (!HasEnded)
                {
                    _registration = registration;
                    return;
                }
            }

            registration.Unregister(); // it ended before the registration existed: do not keep it alive
        }
    }

    public void Complete(in ResultMessage result)
    {
        if (TryEnd(answered: true))
        {
            OnCompleted(result);
        }
    }

    public void Fail(Exception exception)
    {
        if (TryEnd(answered: false))
        {
            OnFailed(exception);
        }
    }

    public void Cancel()
    {
        if (TryEnd(answered: false))
        {
            OnCanceled(CancellationToken);
        }
    }

    protected abstract void OnCompleted(in ResultMessage result);

    protected abstract void OnFailed(Exception exception);

    protected abstract void OnCanceled(CancellationToken cancellationToken);

    private bool TryEnd(bool answered)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        CancellationTokenRegistration registration;
        lock (_registrationLock)
        {
            registration = _registration;
        }

        registration.Unregister();
        _prepared.ReleaseSegments(readByWorker: answered);
        return true;
    }
}

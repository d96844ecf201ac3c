using System.Diagnostics;

namespace ProcessPool.Scheduling;

/// <summary>
/// The calls waiting for a worker, in order, and the back-pressure of
/// <see cref="ProcessPoolOptions.MaxQueuedTasks"/>: calls beyond the bound wait for room (admitted in
/// order as the queue drains), and so do producers that asked to (<see cref="WaitForRoomAsync"/>).
/// Every member runs under the scheduler's lock.
/// </summary>
internal sealed class CallQueue(Lock gate, int? maxQueued)
{
    private readonly Lock _gate = gate;
    private readonly LinkedList<Call> _ready = new();
    private readonly LinkedList<Call> _waitingForRoom = new();
    private readonly Queue<RoomWaiter> _roomWaiters = new(); // producers waiting for the queue to have room

    /// <summary>Calls waiting for a worker.</summary>
    public int Count => _ready.Count;

    /// <summary>Calls waiting for room, beyond <see cref="ProcessPoolOptions.MaxQueuedTasks"/>.</summary>
    public int WaitingForRoom => _waitingForRoom.Count;

    public bool IsEmpty => _ready.Count == 0 && _waitingForRoom.Count == 0;

    /// <summary>Places left before the queue reaches <see cref="ProcessPoolOptions.MaxQueuedTasks"/>.</summary>
    private int FreeRoom => maxQueued is { } max ? Math.Max(0, max - _ready.Count - _waitingForRoom.Count) : int.MaxValue;

    /// <summary>Queues a new call, behind the calls waiting for room if the queue is full.</summary>
    public void Add(Call call)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        call.QueueNode = maxQueued is { } max && (_waitingForRoom.Count > 0 || _ready.Count >= max)
            ? _waitingForRoom.AddLast(call)
            : _ready.AddLast(call);
    }

    /// <summary>
    /// Puts a call taken back from a worker at the front of the queue, among the other such calls in
    /// the order they were first sent: Map waits on the oldest.
    /// </summary>
    public void Requeue(Call call)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        var node = _ready.First;
        while (node is not null && node.Value.SendOrder != 0 && node.Value.SendOrder < call.SendOrder)
        {
            node = node.Next;
        }

        call.QueueNode = node is null ? _ready.AddLast(call) : _ready.AddBefore(node, call);
    }

    /// <summary>Moves calls waiting for room into the queue, in order, as far as the bound allows; returns the first call.</summary>
    public Call? Peek()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        while (_waitingForRoom.First is { } node && _ready.Count < maxQueued.GetValueOrDefault(int.MaxValue))
        {
            _waitingForRoom.RemoveFirst();
            _ready.AddLast(node);
        }

        return _ready.First?.Value;
    }

    /// <summary>Takes the first call (the one <see cref="Peek"/> returned) off the queue.</summary>
    public void TakeFirst()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        _ready.First!.Value.QueueNode = null;
        _ready.RemoveFirst();
    }

    /// <summary>Withdraws a call that is still queued; false if it is not.</summary>
    public bool Remove(Call call)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        if (call.QueueNode is not { } node)
        {
            return false;
        }

        node.List!.Remove(node);
        call.QueueNode = null;
        return true;
    }

    /// <summary>Takes every queued call off the queue (to fail or cancel them).</summary>
    public List<Call> TakeAll()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        var taken = new List<Call>(_ready.Count + _waitingForRoom.Count);
        foreach (var list in (LinkedList<Call>[])[_ready, _waitingForRoom])
        {
            while (list.First is { } node)
            {
                list.RemoveFirst();
                node.Value.QueueNode = null;
                taken.Add(node.Value);
            }
        }

        return taken;
    }

    /// <summary>
    /// A task that completes when the queue has room for one more call (at once if it has and no
    /// producer waits before this one). A wait that is cancelled leaves the line at once: the room it
    /// would have had goes to the next producer, as in System.Threading.Channels.
    /// </summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        while (_roomWaiters.TryPeek(out var first) && first.Task.IsCompleted)
        {
            _roomWaiters.Dequeue(); // waits that ended before their turn
        }

        if (FreeRoom > 0 && _roomWaiters.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var waiter = new RoomWaiter(this, cancellationToken);
        _roomWaiters.Enqueue(waiter);
        return waiter.Task;
    }

    /// <summary>Lets as many waiting producers go as there are free places, in the order they came.</summary>
    public void WakeRoomWaiters()
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        for (int free = FreeRoom; free > 0 && _roomWaiters.TryDequeue(out var waiter);)
        {
            if (waiter.TrySetResult()) // false for a wait that was cancelled: its place goes to the next
            {
                free--;
            }
        }
    }

    /// <summary>Ends every producer's wait with <paramref name="error"/> (the pool is shutting down).</summary>
    public void FailRoomWaiters(Exception error)
    {
        Debug.Assert(_gate.IsHeldByCurrentThread);
        while (_roomWaiters.TryDequeue(out var waiter))
        {
            waiter.TrySetException(error);
        }
    }

    /// <summary>One producer's wait for room; its cancellation takes it out of line and passes its turn on.</summary>
    private sealed class RoomWaiter : TaskCompletionSource
    {
        private readonly CancellationTokenRegistration _registration;

        public RoomWaiter(CallQueue queue, CancellationToken cancellationToken)
            : base(TaskCreationOptions.RunContinuationsAsynchronously) // continuations run elsewhere, not under the lock
        {
            if (cancellationToken.CanBeCanceled)
            {
                _registration = cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var (waiter, queue) = ((RoomWaiter, CallQueue))state!;
                    lock (queue._gate)
                    {
                        if (waiter.TrySetCanceled(token))
                        {
                            queue.WakeRoomWaiters(); // room it held back goes to whoever waits behind it
                        }
                    }
                }, (this, queue));
                Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), _registration, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }
}

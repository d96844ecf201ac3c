namespace ProcessPool.Scheduling;

/// <summary>
/// Callers of <see cref="Scheduler.StartAsync"/> waiting for a number of workers to be ready (connected,
/// initialized, taking calls). A waiter completes once that many workers take calls, fails with the error
/// of a worker that could not start, and fails with <see cref="ObjectDisposedException"/> when the pool
/// shuts down first. Members named *Locked are for holders of the scheduler's lock.
/// </summary>
internal sealed class WorkerReadiness(Lock gate)
{
    private readonly List<Waiter> _waiters = [];

    /// <summary>A task that completes when <paramref name="count"/> workers take calls (at once if they do already).</summary>
    public Task WaitLocked(int count, int ready, CancellationToken cancellationToken)
    {
        if (ready >= count)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var waiter = new Waiter(count);
        _waiters.Add(waiter);
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) =>
                {
                    var (readiness, waiter) = ((WorkerReadiness, Waiter))state!;
                    readiness.Forget(waiter);
                    waiter.Ready.TrySetCanceled(token);
                },
                (this, waiter));
        }

        return waiter.Ready.Task;
    }

    /// <summary>A worker started, or one left: completes the waiters that now have their count.</summary>
    public void OnReadyCountLocked(int ready)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (ready >= _waiters[i].Count)
            {
                Complete(i, null);
            }
        }
    }

    /// <summary>A worker could not start, or the pool closed: every waiter fails with <paramref name="error"/>.</summary>
    public void FailAllLocked(Exception error)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            Complete(i, error);
        }
    }

    private void Complete(int index, Exception? error)
    {
        var waiter = _waiters[index];
        _waiters.RemoveAt(index);
        waiter.Registration.Unregister(); // not Dispose: that would wait for a running callback, which waits for this lock
        if (error is null)
        {
            waiter.Ready.TrySetResult();
        }
        else
        {
            waiter.Ready.TrySetException(error);
        }
    }

    private void Forget(Waiter waiter)
    {
        lock (gate)
        {
            _waiters.Remove(waiter);
        }
    }

    private sealed class Waiter(int count)
    {
        public int Count { get; } = count;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

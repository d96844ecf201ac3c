namespace ProcessPool.Scheduling;

/// <summary>
/// Callers of <see cref="Scheduler.StartAsync"/> waiting for a number of workers to be ready (connected,
/// warmed up, initialized, taking calls). A waiter completes once that many workers take calls, or once
/// as many workers have started as were starting when it began (a ready worker may have left meanwhile:
/// retired for idleness, or crashed; waiting for the count then could wait for ever). It fails with the error of a worker that could not start, and with
/// <see cref="ObjectDisposedException"/> when the pool shuts down first. Members named *Locked are for
/// holders of the scheduler's lock.
/// </summary>
internal sealed class WorkerReadiness(Lock gate)
{
    private readonly List<Waiter> _waiters = [];

    /// <summary>
    /// A task that completes when <paramref name="count"/> workers take calls, or when <paramref name="starting"/>
    /// (the workers starting now) more workers have started (at once if either holds already).
    /// </summary>
    public Task WaitLocked(int count, int ready, int starting, CancellationToken cancellationToken)
    {
        if (ready >= count || starting == 0)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var waiter = new Waiter(count, starting);
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

    /// <summary>A worker started and takes calls: completes the waiters that now have their count or whose starts are done.</summary>
    public void OnStartedLocked(int ready)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            waiter.Starting--;
            if (ready >= waiter.Count || waiter.Starting <= 0)
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

    private sealed class Waiter(int count, int starting)
    {
        public int Count { get; } = count;

        /// <summary>Workers still to start before the wait is over (a failed start fails the waiter).</summary>
        public int Starting { get; set; } = starting;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }
}

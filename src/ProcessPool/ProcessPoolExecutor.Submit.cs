using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;

namespace ProcessPool;

// Submit: every call shape (see ExecutorExtensions) funnels into Submit with its arguments' own struct type.
public sealed partial class ProcessPoolExecutor
{
    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<TResult>(WorkItem<TResult> workItem, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return workItem.SubmitTo(this, cancellationToken);
    }

    /// <summary>Serializes the call on the caller's thread and queues it; the extensions call this directly, so the pool's own path allocates no work item.</summary>
    internal Task<TResult> Submit<TResult, TArgs>(Delegate function, TArgs arguments, TaskOptions? options, CancellationToken cancellationToken)
        where TArgs : struct, IArgumentWriter
    {
        ArgumentNullException.ThrowIfNull(function);
        ObjectDisposedException.ThrowIf(_scheduler.IsShutdown, this);
        if (!cancellationToken.CanBeCanceled)
        {
            cancellationToken = arguments.Token;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var prepared = CallPreparer.Prepare(function, arguments, _policy.Payload);

        var call = new SingleCall<TResult>(prepared, _policy.With(options), cancellationToken);
        try
        {
            _scheduler.Enqueue(call);
        }
        catch (ObjectDisposedException)
        {
            prepared.ReleaseSegments(readByWorker: false); // the pool shut down between the check above and now
            throw;
        }

        return call.Task;
    }
}

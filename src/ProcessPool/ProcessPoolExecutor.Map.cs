using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;

namespace ProcessPool;

// Map: every Map shape (see ExecutorExtensions) comes here. The function's captured state is serialized
// once, here, so that state which cannot travel fails the call itself; items are serialized chunk by chunk.
public sealed partial class ProcessPoolExecutor
{
    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapAsync<TItem, TResult>(MapWork<TItem, TResult> work, IAsyncEnumerable<TItem> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_scheduler.IsShutdown, this);
        var target = CallPreparer.PrepareTarget(work.Function, _policy.Payload);
        return new MapRunner<TItem, TResult>(this, _scheduler, target, ((IMapItemWriter<TItem>)work).WriteItem, work.Options, _options, _policy).RunAsync(source, work.Ordered, cancellationToken);
    }
}

using System.Runtime.CompilerServices;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;

namespace ProcessPool;

// Map, MapUnordered and the blocking Map. The function's captured state is serialized once, here,
// so that state which cannot travel fails the call itself; items are serialized chunk by chunk.
public sealed partial class ProcessPoolExecutor
{
    private const string ItemDescription = "an item of the map's source";

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: true, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, TResult> function, IAsyncEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, source, WriteItem<T>, options, ordered: true, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<(T1, T2), TResult>(function, ToAsync(source1, source2), WritePair<T1, T2>, options, ordered: true, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: false, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, TResult> function, IAsyncEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, source, WriteItem<T>, options, ordered: false, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<(T1, T2), TResult>(function, ToAsync(source1, source2), WritePair<T1, T2>, options, ordered: false, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: true, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: false, cancellationToken);

    /// <inheritdoc/>
    public IEnumerable<TResult> Map<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null)
        => MapAsync(function, source, options).ToBlockingEnumerable();

    /// <inheritdoc/>
    public IEnumerable<TResult> Map<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapAsync(function, source1, source2, options).ToBlockingEnumerable();

    private IAsyncEnumerable<TResult> Map<TItem, TResult>(Delegate function, IAsyncEnumerable<TItem> source, ItemWriter<TItem> writeItem, MapOptions? options, bool ordered, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(source);
        ObjectDisposedException.ThrowIf(_scheduler.IsShutdown, this);
        var target = CallPreparer.PrepareTarget(function, _policy.Payload);

        return new MapRunner<TItem, TResult>(this, _scheduler, target, writeItem, options, _options, _policy).RunAsync(source, ordered, cancellationToken);
    }

    private static void WriteItem<T>(ref MessagePackWriter writer, T item, PayloadOptions options) => PayloadSerializer.Write(ref writer, item, options, ItemDescription);

    private static void WritePair<T1, T2>(ref MessagePackWriter writer, (T1, T2) pair, PayloadOptions options)
    {
        PayloadSerializer.Write(ref writer, pair.Item1, options, ItemDescription);
        PayloadSerializer.Write(ref writer, pair.Item2, options, ItemDescription);
    }

    private static SynchronousSource<(T1, T2)> ToAsync<T1, T2>(IEnumerable<T1> source1, IEnumerable<T2> source2)
    {
        ArgumentNullException.ThrowIfNull(source1);
        ArgumentNullException.ThrowIfNull(source2);
        return new SynchronousSource<(T1, T2)>(
            source1.Zip(source2),
            () => source1.TryGetNonEnumeratedCount(out int n1) && source2.TryGetNonEnumeratedCount(out int n2) ? Math.Min(n1, n2) : null);
    }

    private static SynchronousSource<T> ToAsync<T>(IEnumerable<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new SynchronousSource<T>(source);
    }
}

using System.Runtime.CompilerServices;
using ProcessPool.Invocation;
using ProcessPool.Scheduling;

namespace ProcessPool;

/// <summary>
/// The call shapes of every <see cref="IExecutor"/>: <c>SubmitAsync</c> for functions of 0 to 3
/// arguments (returning a value, nothing, a Task or a ValueTask, optionally taking a
/// <see cref="CancellationToken"/>, with or without <see cref="TaskOptions"/>), and <c>MapAsync</c>,
/// <c>MapUnorderedAsync</c> and the blocking <c>Map</c> and <c>MapUnordered</c>. Each builds a
/// <see cref="WorkItem{TResult}"/> or a <see cref="MapWork{TItem, TResult}"/> and hands it to the executor.
/// </summary>
/// <remarks>
/// When an async lambda or method group fits several shapes, the Task shapes are chosen first, then the
/// ValueTask ones, then the plain <c>Func&lt;TResult&gt;</c> ones (which would take the task as a value).
/// </remarks>
public static partial class ExecutorExtensions
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Task<TResult> SubmitCore<TResult, TArgs>(IExecutor executor, Delegate function, TArgs arguments, TaskOptions? options, CancellationToken cancellationToken)
        where TArgs : struct, IArgumentWriter
    {
        // The pool takes the arguments' struct as it is: no work item to allocate on its hot path.
        if (executor is ProcessPoolExecutor pool)
        {
            return pool.Submit<TResult, TArgs>(function, arguments, options, cancellationToken);
        }

        ArgumentNullException.ThrowIfNull(executor);
        if (!cancellationToken.CanBeCanceled)
        {
            cancellationToken = arguments.Token; // as the pool does: a token passed as an argument is the call's token
        }

        return executor.SubmitAsync(new WorkItem<TResult, TArgs>(function, arguments, options), cancellationToken);
    }

    private static IAsyncEnumerable<TResult> MapCore<T, TResult>(IExecutor executor, Delegate function, IEnumerable<T> source, bool ordered, MapOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return MapCore<T, TResult>(executor, function, new SynchronousSource<T>(source), ordered, options, cancellationToken);
    }

    private static IAsyncEnumerable<TResult> MapCore<T, TResult>(IExecutor executor, Delegate function, IAsyncEnumerable<T> source, bool ordered, MapOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return executor.MapAsync(new SingleSourceMap<T, TResult>(function, ordered, options), source, cancellationToken);
    }

    private static IAsyncEnumerable<TResult> MapCore<T1, T2, TResult>(IExecutor executor, Delegate function, IEnumerable<T1> source1, IEnumerable<T2> source2, bool ordered, MapOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(source1);
        ArgumentNullException.ThrowIfNull(source2);

        // A synchronous source the pool reads without an async step per item, and whose length it can tell.
        var pairs = new SynchronousSource<(T1, T2)>(
            source1.Zip(source2),
            () => source1.TryGetNonEnumeratedCount(out int n1) && source2.TryGetNonEnumeratedCount(out int n2) ? Math.Min(n1, n2) : null);
        return executor.MapAsync(new ZippedMap<T1, T2, TResult>(function, ordered, options), pairs, cancellationToken);
    }

    private static IAsyncEnumerable<TResult> MapCore<T1, T2, TResult>(IExecutor executor, Delegate function, IAsyncEnumerable<T1> source1, IAsyncEnumerable<T2> source2, bool ordered, MapOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(source1);
        ArgumentNullException.ThrowIfNull(source2);
        return executor.MapAsync(new ZippedMap<T1, T2, TResult>(function, ordered, options), source1.Zip(source2), cancellationToken);
    }
}

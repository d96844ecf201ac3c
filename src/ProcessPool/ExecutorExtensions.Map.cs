using System.Runtime.CompilerServices;

namespace ProcessPool;

// The blocking Map and MapUnordered over synchronous sources: the same function shapes as MapAsync.
public static partial class ExecutorExtensions
{
    /// <summary>Applies the function to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, CancellationToken, TResult> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, CancellationToken, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Map<T, TResult>(this IExecutor executor, Func<T, CancellationToken, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, Task<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, Task<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, ValueTask<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results in input order, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> Map<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: true, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, CancellationToken, TResult> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, CancellationToken, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function taking a token (cancelled when the map is cancelled or the item times out) to each item of <paramref name="source"/> and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> MapUnordered<T, TResult>(this IExecutor executor, Func<T, CancellationToken, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null)
        => MapCore<T, TResult>(executor, function, source, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, Task<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(2)]
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, Task<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, ValueTask<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();

    /// <summary>Applies the asynchronous <see cref="ValueTask"/> function taking a token (cancelled when the map is cancelled or the item times out) to the pairs of items of two sources, zipped like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter) and returns the results as they complete, blocking while it waits, like Python's <c>Executor.map</c>.</summary>
    /// <param name="executor">The executor that runs the items.</param>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <returns>The results.</returns>
    [OverloadResolutionPriority(1)]
    public static IEnumerable<TResult> MapUnordered<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask<TResult>> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null)
        => MapCore<T1, T2, TResult>(executor, function, source1, source2, ordered: false, options, default).ToBlockingEnumerable();
}

using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool;

/// <summary>
/// A function to apply to every item of a source, and how: in input order or as results complete, with
/// which <see cref="MapOptions"/>. The methods of <see cref="ExecutorExtensions"/> build these from the
/// call shapes users write, and a backend (an <see cref="IExecutor"/>) runs them with
/// <see cref="IExecutor.MapAsync{TItem, TResult}(MapWork{TItem, TResult}, IAsyncEnumerable{TItem}, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// Each item gives the function <see cref="ArgumentCount"/> arguments (one item, or the two halves of a
/// pair of zipped sources), then, when it has one parameter more, a <see cref="CancellationToken"/>
/// that is cancelled when the map is cancelled or the item times out. The function returns
/// <typeparamref name="TResult"/>, or a <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>
/// of it, which the backend awaits.
/// </remarks>
/// <typeparam name="TItem">The type of the source's items.</typeparam>
/// <typeparam name="TResult">The type of the function's results.</typeparam>
public abstract class MapWork<TItem, TResult>
{
    // Only this assembly derives maps: the pool writes items with their own types, unboxed.
    private protected MapWork(Delegate function, bool ordered, MapOptions? options)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        Ordered = ordered;
        Options = options;
    }

    /// <summary>The function to apply.</summary>
    public Delegate Function { get; }

    /// <summary>True to yield results in input order; false to yield them as they complete.</summary>
    public bool Ordered { get; }

    /// <summary>Chunk size, in-flight window, deadlines; <see langword="null"/> for the defaults.</summary>
    public MapOptions? Options { get; }

    /// <summary>How many arguments each item gives the function (not counting a trailing <see cref="CancellationToken"/> parameter).</summary>
    public abstract int ArgumentCount { get; }

    /// <summary>Argument <paramref name="index"/> (from 0) of the call for <paramref name="item"/>, boxed: for backends that pass arguments as objects.</summary>
    /// <param name="item">An item of the source.</param>
    /// <param name="index">From 0 to <see cref="ArgumentCount"/> - 1.</param>
    /// <returns>The argument.</returns>
    public abstract object? GetArgument(TItem item, int index);
}

/// <summary>
/// How the pool writes a map's items, with their own types and unboxed: every <see cref="MapWork{TItem, TResult}"/>
/// is one of these (only this assembly derives maps). Apart from the public type, which is vocabulary
/// that sees no room of the library.
/// </summary>
internal interface IMapItemWriter<TItem>
{
    /// <summary>Writes one item as the arguments of a call, for a worker.</summary>
    void WriteItem(ref MessagePackWriter writer, TItem item, PayloadOptions options);
}

/// <summary>A map over one source: each item is the function's one argument.</summary>
internal sealed class SingleSourceMap<T, TResult>(Delegate function, bool ordered, MapOptions? options) : MapWork<T, TResult>(function, ordered, options), IMapItemWriter<T>
{
    public override int ArgumentCount => 1;

    public override object? GetArgument(T item, int index) => index == 0 ? item : throw new ArgumentOutOfRangeException(nameof(index));

    public void WriteItem(ref MessagePackWriter writer, T item, PayloadOptions options) => PayloadSerializer.Write(ref writer, item, options, MapItems.Description);
}

/// <summary>A map over two zipped sources: each pair gives the function its two arguments.</summary>
internal sealed class ZippedMap<T1, T2, TResult>(Delegate function, bool ordered, MapOptions? options) : MapWork<(T1, T2), TResult>(function, ordered, options), IMapItemWriter<(T1, T2)>
{
    public override int ArgumentCount => 2;

    public override object? GetArgument((T1, T2) item, int index) => index switch
    {
        0 => item.Item1,
        1 => item.Item2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public void WriteItem(ref MessagePackWriter writer, (T1, T2) item, PayloadOptions options)
    {
        PayloadSerializer.Write(ref writer, item.Item1, options, MapItems.Description);
        PayloadSerializer.Write(ref writer, item.Item2, options, MapItems.Description);
    }
}

/// <summary>What errors call a map's items.</summary>
internal static class MapItems
{
    public const string Description = "an item of the map's source";
}

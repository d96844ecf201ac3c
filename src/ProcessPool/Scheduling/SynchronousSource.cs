using System.Runtime.CompilerServices;

namespace ProcessPool.Scheduling;

/// <summary>
/// An <see cref="IEnumerable{T}"/> seen as an <see cref="IAsyncEnumerable{T}"/> at the cost of a plain
/// MoveNext: Map reads millions of tiny items, and a compiler-generated async iterator per item costs
/// more than the item's own serialization. Cancellation is the map's to observe, between chunks.
/// </summary>
/// <param name="source">The items.</param>
/// <param name="count">How many items the source holds, when that is known without enumerating it; by default what <see cref="Enumerable.TryGetNonEnumeratedCount{TSource}"/> says.</param>
internal sealed class SynchronousSource<T>(IEnumerable<T> source, Func<int?>? count = null) : IAsyncEnumerable<T>
{
    /// <summary>How many items the source holds now, if it can say without being enumerated (a collection, an array).</summary>
    public int? Count => count is null ? (source.TryGetNonEnumeratedCount(out int n) ? n : null) : count();

    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(source.GetEnumerator(), mayBlock: Count is null);

    /// <param name="inner">The source's enumerator.</param>
    /// <param name="mayBlock">False for a source that knows its length (a collection in memory): its MoveNext does not wait for anything.</param>
    public sealed class Enumerator(IEnumerator<T> inner, bool mayBlock) : IAsyncEnumerator<T>
    {
        /// <summary>Whether MoveNext may wait for something (an iterator, a queue), so the map reads it on a thread of its own (<see cref="SourceThread{T}"/>).</summary>
        public bool MayBlock => mayBlock;

        /// <summary>Reads up to <paramref name="size"/> items; true when the source is exhausted.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per item: optimised from the first map, not after tiering
        public bool ReadChunk(List<T> items, int size)
        {
            while (items.Count < size)
            {
                if (!inner.MoveNext())
                {
                    return true;
                }

                items.Add(inner.Current);
            }

            return false;
        }

        /// <summary>Moves to the next item without wrapping it in a task (see <see cref="BlockingRead{T}"/>).</summary>
        public bool MoveNext() => inner.MoveNext();

        public T Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => new(inner.MoveNext());

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

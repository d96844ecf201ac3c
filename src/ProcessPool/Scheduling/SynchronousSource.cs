namespace ProcessPool.Scheduling;

/// <summary>
/// An <see cref="IEnumerable{T}"/> seen as an <see cref="IAsyncEnumerable{T}"/> at the cost of a plain
/// MoveNext: Map reads millions of tiny items, and a compiler-generated async iterator per item costs
/// more than the item's own serialization. Cancellation is the map's to observe, between chunks.
/// </summary>
internal sealed class SynchronousSource<T>(IEnumerable<T> source) : IAsyncEnumerable<T>
{
    public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => new Enumerator(source.GetEnumerator());

    private sealed class Enumerator(IEnumerator<T> inner) : IAsyncEnumerator<T>
    {
        public T Current => inner.Current;

        public ValueTask<bool> MoveNextAsync() => new(inner.MoveNext());

        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

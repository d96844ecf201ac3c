namespace ProcessPool.Scheduling;

/// <summary>
/// One chunk of a synchronous source that may block, read on the thread pool: the reader publishes
/// each item as it reads it, so the map can take what has arrived (<see cref="Cut"/>) while MoveNext
/// waits, without a lock per item. After a cut the reader stops at its next item, which the map gets
/// with the rest (<see cref="TakeRest"/>) once the read completes.
/// </summary>
internal sealed class BlockingRead<T>
{
    private readonly T[] _items;
    private int _published;
    private int _taken;
    private bool _cut;

    public BlockingRead(SynchronousSource<T>.Enumerator source, int size)
    {
        _items = new T[size];
        Task = System.Threading.Tasks.Task.Run(() => Read(source));
    }

    /// <summary>Completes when the reader stops: true when the source has ended.</summary>
    public Task<bool> Task { get; }

    /// <summary>Adds the items published so far and not yet taken; the reader stops after its current item.</summary>
    public void Cut(List<T> items)
    {
        Volatile.Write(ref _cut, true);
        int published = Volatile.Read(ref _published);
        for (; _taken < published; _taken++)
        {
            items.Add(_items[_taken]);
        }
    }

    /// <summary>Once <see cref="Task"/> has completed: adds the items not taken yet.</summary>
    public void TakeRest(List<T> items)
    {
        for (; _taken < _published; _taken++)
        {
            items.Add(_items[_taken]);
        }
    }

    private bool Read(SynchronousSource<T>.Enumerator source)
    {
        int count = 0;
        while (count < _items.Length)
        {
            if (!source.MoveNext())
            {
                return true;
            }

            _items[count] = source.Current;
            Volatile.Write(ref _published, ++count); // the slot is written before the count says so
            if (Volatile.Read(ref _cut))
            {
                break;
            }
        }

        return false;
    }
}

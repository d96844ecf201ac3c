namespace ProcessPool.Scheduling;

/// <summary>
/// One chunk of a synchronous source that may block, read on the source's own thread
/// (<see cref="SourceThread{T}"/>): the reader publishes each item as it reads it, so the map can take
/// what has arrived (<see cref="Cut"/>) while MoveNext waits, without a lock per item. After a cut the
/// reader stops after its current item, which the map gets with the rest (<see cref="TakeRest"/>) once
/// the read completes.
/// </summary>
internal sealed class BlockingRead<T>(int size)
{
    private readonly T[] _items = new T[size];
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _published;
    private int _taken;
    private int _cut;

    /// <summary>Completes when the reader stops: true when the source has ended.</summary>
    public Task<bool> Task => _done.Task;

    /// <summary>Adds the items published so far and not yet taken; the reader stops after its current item.</summary>
    public void Cut(List<T> items)
    {
        // Full fences on both sides (here and in Read): either the reader sees the cut after this item,
        // or this sees the item; a plain volatile write followed by a read could miss both.
        Interlocked.Exchange(ref _cut, 1);
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

    /// <summary>On the source's thread: reads until the chunk is full, the source ends, or the map cuts.</summary>
    public void Run(SynchronousSource<T>.Enumerator source)
    {
        try
        {
            _done.SetResult(Read(source));
        }
        catch (Exception e)
        {
            _done.SetException(e); // the map rethrows it at its turn
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
            Interlocked.Exchange(ref _published, ++count); // the slot is written before the count says so
            if (Volatile.Read(ref _cut) != 0)
            {
                break;
            }
        }

        return false;
    }
}

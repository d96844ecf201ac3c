namespace ProcessPool.Serialization;

/// <summary>
/// The state of one write (one call's arguments, one chunk's items, one batch of results), reached
/// through its <see cref="PayloadOptions"/>: the depth and path of the value being written
/// (<see cref="GraphGuard{T}"/>), and the shared memory it uses (<see cref="SegmentUse"/>). Never
/// shared between writes that may run at once; a write that continues on another thread
/// (<see cref="DeepStack"/>) takes it along.
/// </summary>
internal sealed class PayloadWrite
{
    private HashSet<object>? _path;
    private List<SegmentUse>? _created;

    internal PayloadWrite(SegmentPool? pool)
    {
        Pool = pool;
    }

    /// <summary>Where large arrays and buffers go; null keeps arrays inline and refuses buffers.</summary>
    public SegmentPool? Pool { get; }

    /// <summary>How deep the value being written is nested right now.</summary>
    public int Depth { get; set; }

    /// <summary>The shared memory used so far.</summary>
    public IReadOnlyList<SegmentUse> Created => _created ?? (IReadOnlyList<SegmentUse>)[];

    /// <summary>How many of <see cref="Created"/> belong to values written completely (see <see cref="Commit"/>).</summary>
    public int Committed { get; private set; }

    /// <summary>Puts <paramref name="value"/> on the path; false if it is on it already (a cycle).</summary>
    public bool Enter(object value) => (_path ??= new HashSet<object>(ReferenceEqualityComparer.Instance)).Add(value);

    public void Leave(object value) => _path?.Remove(value);

    public void Add(SegmentUse use) => (_created ??= []).Add(use);

    /// <summary>Forgets an earlier write's state, so its options can serve the next write (see CallPreparer).</summary>
    public void Reset()
    {
        _path?.Clear();
        _created?.Clear();
        Depth = 0;
        Committed = 0;
    }

    /// <summary>The values written so far are complete: the uses after this mark belong to one that failed half-way.</summary>
    public void Commit() => Committed = _created?.Count ?? 0; // per item in the worker: no interface call

    /// <summary>The shared memory used, for the call that carries it to end.</summary>
    public SegmentUse[] TakeCreated() => _created is { Count: > 0 } created ? [.. created] : [];

    /// <summary>Drops the uses from <paramref name="from"/> on: nothing will refer to them.</summary>
    public void DeleteCreated(int from = 0)
    {
        if (_created is not { } created)
        {
            return;
        }

        for (int i = from; i < created.Count; i++)
        {
            created[i].Abandon();
        }

        created.RemoveRange(from, created.Count - from);
        Committed = Math.Min(Committed, from);
    }

    /// <summary>What is left went out with the results: buffers sent with them are the parent's now.</summary>
    public void Delivered()
    {
        foreach (var use in Created)
        {
            use.Delivered();
        }
    }
}

namespace ProcessPool.Serialization;

/// <summary>
/// The state of one write (one call's arguments, one chunk's items, one batch of results), reached
/// through its <see cref="PayloadOptions"/>: the depth and path of the value being written
/// (<see cref="GraphGuard{T}"/>), and the shared-memory files it created. Never shared between writes
/// that may run at once; a write that continues on another thread (<see cref="DeepStack"/>) takes it along.
/// </summary>
internal sealed class PayloadWrite
{
    private HashSet<object>? _path;
    private List<string>? _created;

    internal PayloadWrite(string? directory, string prefix)
    {
        Directory = directory;
        Prefix = prefix;
    }

    /// <summary>Where large arrays go; null keeps them inline.</summary>
    public string? Directory { get; }

    /// <summary>The name prefix of the files this write creates (<see cref="SegmentNames"/>).</summary>
    public string Prefix { get; }

    /// <summary>How deep the value being written is nested right now.</summary>
    public int Depth { get; set; }

    /// <summary>The files created so far.</summary>
    public IReadOnlyList<string> Created => _created ?? (IReadOnlyList<string>)[];

    /// <summary>How many of <see cref="Created"/> belong to values written completely (see <see cref="Commit"/>).</summary>
    public int Committed { get; private set; }

    /// <summary>Puts <paramref name="value"/> on the path; false if it is on it already (a cycle).</summary>
    public bool Enter(object value) => (_path ??= new HashSet<object>(ReferenceEqualityComparer.Instance)).Add(value);

    public void Leave(object value) => _path?.Remove(value);

    public void Add(string path) => (_created ??= []).Add(path);

    /// <summary>The values written so far are complete: the files after this mark belong to one that failed half-way.</summary>
    /// <summary>Forgets an earlier write's state, so its options can serve the next write (see CallPreparer).</summary>
    public void Reset()
    {
        _path?.Clear();
        _created?.Clear();
        Depth = 0;
        Committed = 0;
    }

    public void Commit() => Committed = _created?.Count ?? 0; // per item in the worker: no interface call

    /// <summary>The created files, for the call that carries them to release.</summary>
    public string[] TakeCreated() => _created is { Count: > 0 } created ? [.. created] : [];

    /// <summary>Deletes the files created from <paramref name="from"/> on (in the background): nothing will refer to them.</summary>
    public void DeleteCreated(int from = 0)
    {
        for (int i = from; i < Created.Count; i++)
        {
            SharedMemory.Delete(Created[i]);
        }
    }
}

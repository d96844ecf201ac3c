namespace ProcessPool.Serialization;

/// <summary>
/// One pool's serialization settings, passed explicitly (never ambient): which of the app's types a
/// payload may name, and where large arrays go. Each pool has its own (created with the pool); each
/// worker has one for its parent's pool. Formatters reach it through the options they are given
/// (<see cref="PayloadOptions.Context"/>), so two pools serializing on one thread never see each
/// other's settings.
/// </summary>
internal sealed class PayloadContext
{
    /// <param name="allowedTypes">The pool's <see cref="ProcessPoolOptions.AllowedTypes"/>; null for this process's own list (a worker's, see <see cref="AllowedTypeRegistry"/>).</param>
    /// <param name="segments">This process's shared memory in the pool's directory, for large arrays and buffers; null keeps arrays inline.</param>
    public PayloadContext(ISet<Type>? allowedTypes, SegmentPool? segments)
    {
        AllowedTypes = allowedTypes;
        Segments = segments;
        Reading = PayloadOptions.Create(this);
    }

    /// <summary>This process's allowed types (what a worker's parent sent), every array inline: outside any pool.</summary>
    public static PayloadContext ProcessWide { get; } = new(allowedTypes: null, segments: null);

    /// <summary>The pool's allowed types; null means this process's list.</summary>
    public ISet<Type>? AllowedTypes { get; }

    /// <summary>This process's segments in the pool's directory; null outside a pool.</summary>
    public SegmentPool? Segments { get; }

    /// <summary>The options for reading payloads: shared, since reading keeps no state of its own.</summary>
    public PayloadOptions Reading { get; }

    /// <summary>
    /// Options for one write (a call, a chunk, a batch of results), with state of its own: never share
    /// them between writes that may run at once. With <paramref name="sharedMemory"/>, large arrays
    /// and <see cref="SharedBuffer"/>s go through <see cref="Segments"/>; without, arrays stay inline
    /// (a write no call's end will clean up after: a map's target, an exception) and buffers are refused.
    /// </summary>
    public PayloadOptions BeginWrite(bool sharedMemory) =>
        Reading.ForWrite(new PayloadWrite(sharedMemory ? Segments : null));

    /// <summary>Whether a value of this run-time type may be written as itself: its workers know only the pool's list.</summary>
    public bool MayWrite(Type type) =>
        AllowedTypes is { } pool ? pool.Contains(type) : AllowedTypeRegistry.Contains(type);

    /// <summary>Resolves a type a payload names, among the allowed types only.</summary>
    public bool TryResolve(string name, out Type type)
    {
        if (AllowedTypes is { } pool)
        {
            type = pool.FirstOrDefault(t => t.AssemblyQualifiedName == name)!; // a pool's list is short
            return type is not null;
        }

        return AllowedTypeRegistry.TryResolve(name, out type);
    }
}

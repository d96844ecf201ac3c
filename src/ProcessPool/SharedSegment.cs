namespace ProcessPool;

/// <summary>
/// The memory behind a <see cref="SharedBuffer"/>: a file in a pool's private directory, mapped into
/// this process. Implemented by the serialization room (<c>Serialization.MappedSegment</c>); declared
/// here so that the public buffer type depends on no room.
/// </summary>
internal abstract class SharedSegment
{
    /// <summary>The address of the segment's first data byte in this process.</summary>
    public abstract nint Data { get; }

    /// <summary>How many data bytes the segment holds.</summary>
    public abstract long Capacity { get; }

    /// <summary>The segment's file; its name is how the other process finds it.</summary>
    public abstract string Path { get; }

    /// <summary>The pool directory the segment lives in: which pool it belongs to.</summary>
    public abstract string Directory { get; }

    /// <summary>Gives a segment this process rents out back to its pool, for the next rent.</summary>
    public abstract void Return();

    /// <summary>Deletes a segment this process rents out instead of reusing it: a worker may still touch it.</summary>
    public abstract void Retire();

    /// <summary>Tells the process that owns a segment (another one) that it may rent it out again.</summary>
    public abstract void MarkFree();

    /// <summary>Drops one reference to this process's mapping of a segment another process owns; the last one unmaps it.</summary>
    public abstract void Release();
}

namespace ProcessPool.Serialization;

/// <summary>
/// One use of shared memory by a write, ended by whoever carries the write (see <see cref="PayloadWrite"/>):
/// a segment of this process holding a large array, or a <see cref="SharedBuffer"/> the write refers to.
/// </summary>
internal readonly record struct SegmentUse
{
    private SegmentUse(MappedSegment? segment, SharedBuffer? buffer, bool sent, bool copy)
    {
        Segment = segment;
        Buffer = buffer;
        IsSent = sent;
        IsCopy = copy;
    }

    public MappedSegment? Segment { get; }

    public SharedBuffer? Buffer { get; }

    /// <summary>A buffer leaving with a result (a worker's), rather than lent for a call (the parent's).</summary>
    public bool IsSent { get; }

    /// <summary>A buffer the write rented to send a copy of one it may not send (an argument view).</summary>
    public bool IsCopy { get; }

    public static SegmentUse Array(MappedSegment segment) => new(segment, null, sent: false, copy: false);

    public static SegmentUse Lent(SharedBuffer buffer) => new(null, buffer, sent: false, copy: false);

    public static SegmentUse Sent(SharedBuffer buffer, bool copy) => new(null, buffer, sent: true, copy);

    /// <summary>
    /// The call that carried the write ended: segments and lent buffers go back for reuse if the
    /// worker surely read them (<paramref name="readByWorker"/>: it answered), else segments are
    /// deleted (a worker still reading keeps its mapping; a reused segment would change under it).
    /// </summary>
    public void EndCall(bool readByWorker)
    {
        if (readByWorker)
        {
            Segment?.Return();
        }
        else
        {
            Segment?.Retire();
        }

        Buffer?.EndCall(reusable: readByWorker);
    }

    /// <summary>The result went to the parent: a sent buffer is the parent's now.</summary>
    public void Delivered()
    {
        if (IsSent)
        {
            Buffer!.Detach();
        }
    }

    /// <summary>The write is dropped: nobody saw what it refers to.</summary>
    public void Abandon()
    {
        Segment?.Return();
        if (Buffer is not { } buffer)
        {
            return;
        }

        if (!IsSent)
        {
            buffer.EndCall(reusable: true);
        }
        else if (IsCopy)
        {
            buffer.Dispose();
        }
        else
        {
            buffer.UnmarkSent(); // still the worker's
        }
    }
}

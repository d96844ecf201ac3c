namespace ProcessPool.Serialization;

/// <summary>
/// The shared-memory segments one process owns in a pool's directory (the parent's, or one worker's),
/// named <c>&lt;owner&gt;&lt;serial&gt;.seg</c> (<see cref="SegmentNames"/>), kept mapped and reused: a
/// segment given back (by this process, or by the other side through its state word) is rented out
/// again for the next large array or <see cref="SharedBuffer"/> of about its size, into pages that
/// are already there. At most <see cref="FreeSegmentsKept"/> free segments are kept, of at most
/// <see cref="FreeBytesKept"/> bytes together (the newest is kept whatever its size); older ones are
/// deleted. Whatever is left goes with the pool's directory.
/// </summary>
internal sealed class SegmentPool : IDisposable
{
    /// <summary>Free segments kept for reuse; more are deleted.</summary>
    public const int FreeSegmentsKept = 4;

    /// <summary>Free bytes kept for reuse, beyond the newest free segment: every worker keeps its own.</summary>
    public const long FreeBytesKept = 256L << 20;

    private const long PageSize = 4096;
    private static long s_lastSerial;
    private readonly List<MappedSegment> _segments = []; // oldest first
    private readonly List<SharedBuffer> _borrowed = []; // the argument buffers of the running call (a worker's pool)
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <param name="directory">The pool's directory.</param>
    /// <param name="owner">This process's name prefix (<see cref="SegmentNames"/>).</param>
    /// <param name="inWorker">
    /// Whether this is a worker's pool: its buffers leave with the results (ownership passes to the
    /// parent), and the buffers it reads are views lent for one call (<see cref="EndBorrowing"/>).
    /// </param>
    public SegmentPool(string directory, string owner, bool inWorker)
    {
        Directory = directory;
        OwnerPrefix = owner;
        InWorker = inWorker;
    }

    public string Directory { get; }

    public string OwnerPrefix { get; }

    public bool InWorker { get; }

    /// <summary>Rents a segment of at least <paramref name="length"/> bytes: a free one of about that size, else a new one.</summary>
    /// <exception cref="IOException">A new segment cannot be created (a full /dev/shm), even after deleting the free ones.</exception>
    public MappedSegment Rent(long length)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = _segments.Count - 1; i >= 0; i--)
            {
                var segment = _segments[i];
                if (segment.Capacity >= length && (segment.Capacity <= 2 * length || segment.Capacity - length <= 16 * PageSize) && segment.TryRent())
                {
                    return segment;
                }
            }

            TrimLocked(FreeSegmentsKept - 1);
            long capacity = Math.Max(PageSize, (length + PageSize - 1) & ~(PageSize - 1));
            string path = Path.Combine(Directory, SegmentNames.File(OwnerPrefix, Interlocked.Increment(ref s_lastSerial)));
            MappedSegment created;
            try
            {
                created = MappedSegment.Create(path, capacity, this);
            }
            catch (IOException)
            {
                TrimLocked(0); // free segments may be what fills the file system
                created = MappedSegment.Create(path, capacity, this);
            }

            _segments.Add(created);
            return created;
        }
    }

    /// <summary>Rents a <see cref="SharedBuffer"/> of <paramref name="length"/> bytes.</summary>
    public SharedBuffer RentBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new SharedBuffer(Rent(length), length, SharedBuffer.Holding.Rented);
    }

    /// <summary>Takes a segment back for the next rent.</summary>
    public void Return(MappedSegment segment)
    {
        segment.MarkFree();
        lock (_lock)
        {
            if (_disposed)
            {
                Retire(segment);
                return;
            }

            TrimLocked(FreeSegmentsKept);
        }
    }

    /// <summary>Deletes a segment instead of reusing it (another process may still be reading it: it keeps its mapping).</summary>
    public void Retire(MappedSegment segment)
    {
        lock (_lock)
        {
            _segments.Remove(segment);
        }

        segment.MarkRetired(); // for the other side to unmap it
        SharedMemory.Delete(segment.Path);
        segment.Dispose();
    }

    /// <summary>Registers a view lent for the running call (a worker's pool).</summary>
    public void Borrow(SharedBuffer view)
    {
        lock (_lock)
        {
            _borrowed.Add(view);
        }
    }

    /// <summary>The call ended: the views of its argument buffers end with it.</summary>
    public void EndBorrowing()
    {
        lock (_lock)
        {
            if (_borrowed.Count == 0)
            {
                return;
            }

            foreach (var view in _borrowed)
            {
                view.Dispose();
            }

            _borrowed.Clear();
        }
    }

    /// <summary>Deletes the free segments; those in use are deleted when given back.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            TrimLocked(0);
        }
    }

    /// <summary>Deletes the oldest free segments beyond <paramref name="keep"/> (and beyond <see cref="FreeBytesKept"/>).</summary>
    private void TrimLocked(int keep)
    {
        int free = 0;
        long bytes = 0;
        for (int i = _segments.Count - 1; i >= 0; i--)
        {
            var segment = _segments[i];
            if (segment.State != MappedSegment.Free)
            {
                continue;
            }

            bytes += free == 0 ? 0 : segment.Capacity;
            if ((++free > keep || bytes > FreeBytesKept) && segment.TryRetire())
            {
                _segments.RemoveAt(i);
                SharedMemory.Delete(segment.Path);
                segment.Dispose();
            }
        }
    }
}

using System.IO.MemoryMappedFiles;

namespace ProcessPool.Serialization;

/// <summary>
/// A shared-memory segment: a file in a pool's directory, mapped into this process. A 64-byte header
/// holds a marker, the capacity and a state word that both processes read and write: the owner rents
/// a <see cref="Free"/> segment out (<see cref="Rented"/>), and whoever ends its use, in either
/// process, sets it back to <see cref="Free"/>, so giving memory back takes no message and no system
/// call. The owner sets <see cref="Retired"/> before deleting it, for the other side to unmap it.
/// <para>
/// The file's pages are allocated when it is created (<c>fallocate</c>: a full /dev/shm fails there,
/// not with a SIGBUS on first touch) and mapped in bulk (<see cref="MemoryAdvice"/>), so a warm
/// segment costs no page fault in either process.
/// </para>
/// </summary>
internal sealed unsafe class MappedSegment : SharedSegment, IDisposable
{
    public const int Free = 0;
    public const int Rented = 1;
    public const int Retired = 2;
    private const int HeaderSize = 64;
    private const int Marker = 0x42535050; // "PPSB"
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly long _capacity; // from the file's length when mapped: the header's copy is the other process's to write
    private int _references = 1;

    private MappedSegment(string path, MemoryMappedFile file, long fileLength, SegmentPool? owner)
    {
        Path = path;
        Directory = System.IO.Path.GetDirectoryName(path)!;
        Owner = owner;
        _file = file;
        _view = file.CreateViewAccessor(0, fileLength, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        _capacity = fileLength - HeaderSize;
        MemoryAdvice.Populate((nint)_base, fileLength);
    }

    public override string Path { get; }

    public override string Directory { get; }

    public override nint Data => (nint)(_base + HeaderSize);

    /// <summary>The bytes after the header, as mapped; never re-read from the shared header, which the other process could change.</summary>
    public override long Capacity => _capacity;

    /// <summary>The pool that owns the segment, when this process does; null for another process's.</summary>
    public SegmentPool? Owner { get; }

    public string Name => System.IO.Path.GetFileName(Path);

    public int State => Volatile.Read(ref *(int*)(_base + 4));

    /// <summary>Creates a segment of <paramref name="capacity"/> bytes, <see cref="Rented"/> to its creator.</summary>
    /// <exception cref="IOException">The file cannot be created or its pages allocated (a full /dev/shm).</exception>
    public static MappedSegment Create(string path, long capacity, SegmentPool owner)
    {
        long length = HeaderSize + capacity;
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.None, preallocationSize: length);
        try
        {
            var file = MemoryMappedFile.CreateFromFile(handle, mapName: null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            var segment = new MappedSegment(path, file, length, owner);
            *(long*)(segment._base + 8) = capacity;
            *(int*)(segment._base + 4) = Rented;
            Volatile.Write(ref *(int*)segment._base, Marker);
            return segment;
        }
        catch
        {
            handle.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Maps a segment another process created.</summary>
    /// <exception cref="InvalidDataException">The file is not a segment.</exception>
    public static MappedSegment Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        MappedSegment segment;
        try
        {
            long length = RandomAccess.GetLength(handle);
            if (length < HeaderSize)
            {
                throw new InvalidDataException($"The shared-memory segment '{path}' is too short to be one.");
            }

            var file = MemoryMappedFile.CreateFromFile(handle, mapName: null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            segment = new MappedSegment(path, file, length, owner: null);
            if (Volatile.Read(ref *(int*)segment._base) != Marker || *(long*)(segment._base + 8) != segment.Capacity)
            {
                segment.Dispose();
                throw new InvalidDataException($"The file '{path}' is not a shared-memory segment of this pool.");
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return segment;
    }

    /// <summary>Rents the segment out if it is free (its owner's side).</summary>
    public bool TryRent() => Interlocked.CompareExchange(ref *(int*)(_base + 4), Rented, Free) == Free;

    /// <summary>Marks a free segment retired (its owner's side, before deleting it); false if it is in use.</summary>
    public bool TryRetire() => Interlocked.CompareExchange(ref *(int*)(_base + 4), Retired, Free) == Free;

    public override void MarkFree() => Volatile.Write(ref *(int*)(_base + 4), Free);

    public void MarkRetired() => Volatile.Write(ref *(int*)(_base + 4), Retired);

    public override void Return()
    {
        if (Owner is { } owner)
        {
            owner.Return(this);
        }
        else
        {
            MarkFree();
        }
    }

    public override void Retire()
    {
        if (Owner is { } owner)
        {
            owner.Retire(this);
        }
    }

    /// <summary>Takes one more reference to the mapping (under the lock of whoever hands it out).</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    public override void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Dispose();
        }
    }

    /// <summary>Unmaps the segment (the file stays, for whoever else maps it).</summary>
    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}

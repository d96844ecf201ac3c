using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace ProcessPool.Protocol;

/// <summary>
/// A worker's replies in shared memory: a single-producer, single-consumer byte ring in a file of the
/// pool's directory, mapped by the worker (which appends whole frames) and the parent (which reads
/// them). What the worker has appended survives its death, so the parent reads every finished result
/// even after a crash, without the worker making a system call per reply.
/// <para>
/// Layout: the write position (written by the worker), the read position (by the parent) and the
/// parent's "asleep" flag, each on its own cache line, then the data. Positions only grow; a byte at
/// position p lives at p modulo the capacity. The worker publishes a write position only after the
/// bytes before it are in place, so the parent never sees part of an append.
/// </para>
/// </summary>
internal sealed unsafe class ReplyRing : IDisposable
{
    /// <summary>
    /// Bytes of data a ring made by the parent holds: thousands of small replies, a map chunk's results
    /// a few times over; its pages count in the resident memory of both processes once written.
    /// </summary>
    public const int DefaultCapacity = 256 * 1024;

    /// <summary>How often a writer waiting for room asks whether the reader is still there (a system call).</summary>
    private static readonly TimeSpan ReaderCheckInterval = TimeSpan.FromMilliseconds(50);

    private const int WriteOffset = 0;
    private const int ReadOffset = 64;
    private const int AsleepOffset = 128;
    private const int HeaderLength = 256;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly byte* _data;
    private readonly int _capacity;
    private int _disposed;

    private ReplyRing(MemoryMappedFile file, int capacity)
    {
        _file = file;
        _capacity = capacity;
        try
        {
            _view = file.CreateViewAccessor(0, HeaderLength + capacity, MemoryMappedFileAccess.ReadWrite);
        }
        catch
        {
            file.Dispose(); // the caller gets no ring to dispose: the mapping would leak
            throw;
        }

        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        _data = _base + HeaderLength;
    }

    /// <summary>The most bytes one append may carry: larger messages travel on the socket.</summary>
    public int MaxAppend => _capacity / 4;

    /// <summary>Whether appended bytes wait to be read.</summary>
    public bool HasData => Volatile.Read(ref *WritePosition) != Volatile.Read(ref *ReadPosition);

    private long* WritePosition => (long*)(_base + WriteOffset);

    private long* ReadPosition => (long*)(_base + ReadOffset);

    private int* Asleep => (int*)(_base + AsleepOffset);

    /// <summary>Where the ring of the worker that connects to <paramref name="socketPath"/> is: next to its socket.</summary>
    public static string PathFor(string socketPath) => Path.ChangeExtension(socketPath, ".ring");

    /// <summary>
    /// The parent makes a new, empty ring file (a power-of-two capacity) and maps it. Its pages are
    /// allocated here: a file system without room for them (a full /dev/shm) is an <see cref="IOException"/>
    /// now, and no file is left, rather than a SIGBUS in whichever process first writes to the mapping.
    /// </summary>
    public static ReplyRing Create(string path, int capacity = DefaultCapacity)
    {
        if (capacity < 64 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The capacity must be a power of two of at least 64 bytes.");
        }

        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            // Zeros written, not SetLength's hole: a sparse file's pages are found missing only on a fault.
            byte[] zeros = new byte[64 * 1024];
            for (long offset = 0; offset < HeaderLength + capacity; offset += zeros.Length)
            {
                RandomAccess.Write(stream.SafeFileHandle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, HeaderLength + capacity - offset)), offset);
            }

            var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            stream.Dispose();
            return new ReplyRing(file, capacity);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>The worker maps the ring its parent made; null if there is none (a parent that reads only the socket).</summary>
    public static ReplyRing? Open(string path)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }

        using (stream)
        {
            long capacity = stream.Length - HeaderLength;
            if (capacity < 64 || capacity > int.MaxValue || (capacity & (capacity - 1)) != 0)
            {
                return null;
            }

            var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            return new ReplyRing(file, (int)capacity);
        }
    }

    /// <summary>
    /// Worker: appends <paramref name="bytes"/> (whole frames, at most <see cref="MaxAppend"/>),
    /// waiting while the parent has not read enough to make room. Returns whether the parent said it
    /// was asleep: then the caller rings the doorbell on the socket.
    /// While it waits it asks <paramref name="readerGone"/> now and then whether the parent is gone: a
    /// dead parent never makes room, and a worker waiting for it forever would outlive it. Then it
    /// throws <see cref="IOException"/>, as a write to a broken socket does, having appended nothing.
    /// </summary>
    public bool Append(ReadOnlySpan<byte> bytes, Func<bool>? readerGone = null)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes.Length, MaxAppend);
        long write = *WritePosition; // only this side writes it
        var wait = new SpinWait();
        long lastCheck = Stopwatch.GetTimestamp();
        while (write + bytes.Length - Volatile.Read(ref *ReadPosition) > _capacity)
        {
            wait.SpinOnce(sleep1Threshold: 30); // the parent is reading: it never sleeps while there is data
            if (readerGone is not null && Stopwatch.GetElapsedTime(lastCheck) >= ReaderCheckInterval)
            {
                if (readerGone())
                {
                    throw new IOException("The reply ring is full and its reader is gone.");
                }

                lastCheck = Stopwatch.GetTimestamp();
            }
        }

        int start = (int)(write & (_capacity - 1));
        int first = Math.Min(bytes.Length, _capacity - start);
        bytes[..first].CopyTo(new Span<byte>(_data + start, first));
        bytes[first..].CopyTo(new Span<byte>(_data, bytes.Length - first));
        Volatile.Write(ref *WritePosition, write + bytes.Length);

        // A full barrier between publishing and looking at the flag, as the parent has one between
        // raising it and looking again for data: one of the two sees the other's write.
        return Interlocked.Exchange(ref *Asleep, 0) != 0;
    }

    /// <summary>Parent: copies up to <paramref name="destination"/>'s length of appended bytes; 0 when there are none.</summary>
    public int Read(Span<byte> destination)
    {
        long read = *ReadPosition; // only this side writes it
        long available = Volatile.Read(ref *WritePosition) - read;
        if (available < 0 || available > _capacity)
        {
            throw new ProtocolException($"A reply ring claims {available} bytes waiting in a ring of {_capacity}.");
        }

        int count = (int)Math.Min(available, destination.Length);
        int start = (int)(read & (_capacity - 1));
        int first = Math.Min(count, _capacity - start);
        new ReadOnlySpan<byte>(_data + start, first).CopyTo(destination);
        new ReadOnlySpan<byte>(_data, count - first).CopyTo(destination[first..]);
        Volatile.Write(ref *ReadPosition, read + count);
        return count;
    }

    /// <summary>
    /// Parent: says it is about to block on the socket, then looks once more for data. True if there is
    /// none: the worker rings the doorbell with its next append. (If there is, a doorbell may still
    /// come; the reader takes it as a harmless extra wake.)
    /// </summary>
    public bool TrySleep()
    {
        Interlocked.Exchange(ref *Asleep, 1);
        return !HasData;
    }

    /// <summary>Unmaps the ring. Only its one reader or writer may call it, once it is done with it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}

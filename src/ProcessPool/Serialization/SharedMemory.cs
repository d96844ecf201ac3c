using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ProcessPool.Serialization;

/// <summary>
/// Large arrays travel through shared memory instead of the channel: the writer copies the array
/// into a segment of its own (<see cref="SegmentPool"/>: a file in the pool's private directory, on
/// Linux in /dev/shm, kept mapped), and only the segment's path goes in the message; the reader copies
/// it out of its mapping of the segment (<see cref="SegmentMaps"/>, kept too) into a fresh array.
/// Warm, that is two copies and no system call: no file is opened, written, renamed or deleted.
/// <para>
/// Who gives a segment back: the parent its own when the call that carried them ends (so a call
/// that is requeued can still be read; deleted instead when no worker answered, as one may still be
/// reading), the worker's as soon as it has read the result (through the segment's state word).
/// Whatever a crash leaves behind goes with the pool's directory when the pool shuts down. When a
/// segment cannot be created (a small /dev/shm in a container), the array travels inline, as it
/// would outside a pool.
/// </para>
/// </summary>
internal static class SharedMemory
{
    /// <summary>Arrays of at least this many bytes go through shared memory.</summary>
    public const int Threshold = 64 * 1024;

    // The directories whose segments this process accepts, and whether it is their pool's parent. The
    // parent reads only its workers' segments and frees them once read; a worker reads only the
    // parent's, and leaves them to the parent.
    private static readonly ConcurrentDictionary<string, bool> s_directories = new(StringComparer.Ordinal);

    public static void Register(string directory, bool asParent) => s_directories[directory] = asParent;

    public static void Unregister(string directory)
    {
        s_directories.TryRemove(directory, out _);
        SegmentMaps.Forget(directory);
    }

    /// <summary>Copies <paramref name="bytes"/> into a segment of the write's pool; returns its path, or null if none could be had.</summary>
    public static string? TryWrite(PayloadWrite scope, ReadOnlySpan<byte> bytes)
    {
        if (scope.Pool is not { } pool)
        {
            return null;
        }

        MappedSegment segment;
        try
        {
            segment = pool.Rent(bytes.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // a full file system: the array travels inline
        }

        unsafe
        {
            bytes.CopyTo(new Span<byte>((void*)segment.Data, bytes.Length));
        }

        scope.Add(SegmentUse.Array(segment));
        return segment.Path;
    }

    /// <summary>Reads an array of <paramref name="length"/> elements from a segment another process wrote.</summary>
    public static T[] Read<T>(string path, int length)
        where T : unmanaged
    {
        bool freeAfterReading = CheckPath(path, "array");
        var segment = SegmentMaps.Open(path);
        try
        {
            // The length is checked before anything is allocated: a corrupt message cannot make this
            // process reserve memory the segment does not hold.
            long expected = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            if (length < 0 || expected > int.MaxValue)
            {
                throw new InvalidDataException($"The shared-memory array '{path}' is announced with {length} elements, which no array written here can have.");
            }

            if (segment.Capacity < expected)
            {
                throw new InvalidDataException($"The shared-memory array '{path}' holds {segment.Capacity} bytes, fewer than the {expected} its message announced.");
            }

            var array = GC.AllocateUninitializedArray<T>(length);
            MemoryAdvice.Populate(array);
            unsafe
            {
                new ReadOnlySpan<byte>((void*)segment.Data, (int)expected).CopyTo(MemoryMarshal.AsBytes(array.AsSpan()));
            }

            if (freeAfterReading)
            {
                segment.MarkFree(); // read in full: its writer may fill it again
            }

            return array;
        }
        finally
        {
            segment.Release();
        }
    }

    /// <summary>Maps a <see cref="SharedBuffer"/> another process sent: the parent receives it as its own, a worker borrows it for the call.</summary>
    public static SharedBuffer ReadBuffer(string path, int length, SegmentPool? pool)
    {
        CheckPath(path, "buffer");
        if (pool is null)
        {
            throw new InvalidDataException($"A shared buffer ('{path}') can only be read by a pool's parent or worker.");
        }

        var segment = SegmentMaps.Open(path);
        if (length < 0 || segment.Capacity < length)
        {
            segment.Release();
            throw new InvalidDataException($"The shared buffer '{path}' holds {segment.Capacity} bytes, fewer than the {length} its message announced.");
        }

        if (!pool.InWorker)
        {
            return new SharedBuffer(segment, length, SharedBuffer.Holding.Received);
        }

        var view = new SharedBuffer(segment, length, SharedBuffer.Holding.Borrowed);
        pool.Borrow(view);
        return view;
    }

    /// <summary>Deletes a file in the background: freeing a large file's pages takes a while (~80 ms for 256 MiB here).</summary>
    public static void Delete(string path) => ThreadPool.UnsafeQueueUserWorkItem(DeleteNow, path, preferLocal: false);

    /// <summary>
    /// Deletes, in the background, the segments in <paramref name="directory"/> whose names start with
    /// <paramref name="prefix"/>, and drops this process's mappings of them (buffers still using one keep it).
    /// </summary>
    public static void DeleteAll(string directory, string prefix)
    {
        SegmentMaps.Forget(directory, prefix);
        try
        {
            foreach (string path in Directory.EnumerateFiles(directory, prefix + "*" + SegmentNames.Extension))
            {
                Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no directory, no files; otherwise best effort: the pool's directory goes at shutdown
        }
    }

    /// <summary>
    /// Refuses a path outside this process's pool directories, or of the reading side's own segments;
    /// returns whether this process is the pool's parent (which frees a segment once read).
    /// </summary>
    private static bool CheckPath(string path, string what)
    {
        string? directory = Path.GetDirectoryName(path);
        if (directory is null || !s_directories.TryGetValue(directory, out bool asParent)
            || !SegmentNames.IsSegment(Path.GetFileName(path)) || path.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"A shared-memory {what} names '{path}', which is not a file of this pool.");
        }

        // A reply names a worker's segment and a call the parent's, never the reader's own: a worker that
        // named the parent's memory would have the parent free memory it still uses.
        bool parents = Path.GetFileName(path).StartsWith(SegmentNames.Parent, StringComparison.Ordinal);
        if (parents == asParent)
        {
            throw new InvalidDataException($"A shared-memory {what} names '{path}', a segment of the process reading it, which the other side never sends.");
        }

        return asParent;
    }

    private static void DeleteNow(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // best effort: the pool's directory goes at shutdown
        }
    }
}

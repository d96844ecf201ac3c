using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ProcessPool.Serialization;

/// <summary>
/// Large arrays travel through shared memory instead of the channel: the writer copies the array once
/// into a file in the pool's private directory (on Linux in /dev/shm, a RAM file system), and only
/// the file's name goes in the message; the reader copies it once into its own array. That saves the
/// copies in and out of the serializer, the frame buffers and the socket.
/// <para>
/// The parent disposes of every file: its own when the call that carried them ends (so a call that is
/// requeued can still be read), the worker's once it has read the result. A file whose reader is
/// surely done (the result came back; the parent read it) is recycled rather than deleted: renamed
/// <c>free-&lt;owner&gt;…</c>, and the process that wrote it writes its next large array into it, into
/// pages that already exist: on a VM, where a page fault costs microseconds, that is several times
/// faster than filling new pages. Each writer keeps at most <see cref="FreeFilesPerOwner"/> such files.
/// Whatever a crash leaves behind goes with the pool's directory when the pool shuts down. When a file
/// cannot be written (a small /dev/shm in a container), the array travels inline, as it would outside
/// a pool.
/// </para>
/// </summary>
internal static class SharedMemory
{
    /// <summary>Arrays of at least this many bytes go through shared memory.</summary>
    public const int Threshold = 64 * 1024;

    private const int FreeFilesPerOwner = 2;

    // The directories whose files this process accepts, and whether it deletes them once read: a
    // parent deletes what its workers wrote; a worker leaves its parent's files to the parent.
    private static readonly ConcurrentDictionary<string, bool> s_directories = new(StringComparer.Ordinal);
    private static long s_lastSegment;

    public static void Register(string directory, bool deleteAfterReading) => s_directories[directory] = deleteAfterReading;

    public static void Unregister(string directory) => s_directories.TryRemove(directory, out _);

    /// <summary>Writes <paramref name="bytes"/> to a file (a spare one where there is one); returns its full path, or null if it could not be written.</summary>
    public static string? TryWrite(PayloadWrite scope, ReadOnlySpan<byte> bytes)
    {
        if (scope.Directory is null)
        {
            return null;
        }

        string path = Path.Combine(scope.Directory, SegmentNames.File(scope.Prefix, Interlocked.Increment(ref s_lastSegment)));
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                bool reused = TryTakeFreeFile(scope, bytes.Length, path);
                using var file = File.OpenHandle(path, reused ? FileMode.Open : FileMode.CreateNew, FileAccess.Write);
                RandomAccess.Write(file, bytes, 0);
                if (reused && RandomAccess.GetLength(file) != bytes.Length)
                {
                    RandomAccess.SetLength(file, bytes.Length);
                }

                break;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                DeleteNow(path); // what was written goes
                if (attempt > 0)
                {
                    return null; // a full file system: the array travels inline
                }

                // Spares may be what fills the file system: give them all back, then try once more.
                DeleteFiles(scope.Directory, SegmentNames.AnySpare, DeleteNow);
            }
        }

        scope.Add(path);
        return path;
    }

    /// <summary>Reads an array of <paramref name="length"/> elements from a file another process wrote.</summary>
    public static T[] Read<T>(string path, int length)
        where T : unmanaged
    {
        string? directory = Path.GetDirectoryName(path);
        if (directory is null || !s_directories.TryGetValue(directory, out bool deleteAfterReading)
            || !SegmentNames.IsSegment(Path.GetFileName(path)) || path.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"A shared-memory array names '{path}', which is not a file of this pool.");
        }

        T[] array;
        using (var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read))
        {
            // The length is checked before anything is allocated: a corrupt message cannot make this
            // process reserve memory the file does not hold.
            long fileLength = RandomAccess.GetLength(file);
            long expected = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
            if (fileLength != expected)
            {
                throw new InvalidDataException($"The shared-memory array '{path}' holds {fileLength} bytes, not the {expected} its message announced.");
            }

            array = GC.AllocateUninitializedArray<T>(length);
            MemoryAdvice.Populate(array);
            var bytes = MemoryMarshal.AsBytes(array.AsSpan());
            int filled = 0;
            while (filled < bytes.Length)
            {
                int read = RandomAccess.Read(file, bytes[filled..], filled);
                if (read == 0)
                {
                    throw new InvalidDataException($"The shared-memory array '{path}' ended early.");
                }

                filled += read;
            }
        }

        if (deleteAfterReading)
        {
            Recycle(path); // read in full: its writer may fill it again
        }

        return array;
    }

    /// <summary>
    /// Offers a file whose reader is done back to the process that wrote it (see the class remarks).
    /// The newest files are kept (sizes tend to repeat); older spares beyond the limit are deleted.
    /// </summary>
    public static void Recycle(string path)
    {
        string directory = Path.GetDirectoryName(path)!;
        string spare = SegmentNames.SpareOf(Path.GetFileName(path));
        try
        {
            var spares = new DirectoryInfo(directory).GetFiles($"{spare}*").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
            foreach (var old in spares.Skip(FreeFilesPerOwner - 1))
            {
                Delete(old.FullName);
            }

            File.Move(path, Path.Combine(directory, SegmentNames.File(spare, Interlocked.Increment(ref s_lastSegment))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Delete(path);
        }
    }

    /// <summary>
    /// Deletes a file in the background: freeing a large file's pages takes a while (~80 ms for
    /// 256 MiB here), and nobody should wait for it.
    /// </summary>
    public static void Delete(string path) => ThreadPool.UnsafeQueueUserWorkItem(DeleteNow, path, preferLocal: false);

    /// <summary>Deletes, in the background, the files in <paramref name="directory"/> whose names start with <paramref name="prefix"/>.</summary>
    public static void DeleteAll(string directory, string prefix) => DeleteFiles(directory, prefix, Delete);

    /// <summary>
    /// Renames a spare file of this writer that can hold <paramref name="length"/> bytes (without
    /// wasting more than it holds) to <paramref name="path"/>; false if there is none.
    /// </summary>
    private static bool TryTakeFreeFile(PayloadWrite scope, int length, string path)
    {
        foreach (var spare in new DirectoryInfo(scope.Directory!).EnumerateFiles($"{SegmentNames.SpareOf(scope.Prefix)}*"))
        {
            try
            {
                if (spare.Length >= length && spare.Length <= 2L * length)
                {
                    spare.MoveTo(path);
                    return true;
                }
            }
            catch (IOException)
            {
                // taken by another writer, or trimmed by the parent, since the listing: look further
            }
        }

        return false;
    }

    private static void DeleteFiles(string directory, string prefix, Action<string> delete)
    {
        try
        {
            foreach (string path in Directory.EnumerateFiles(directory, prefix + "*" + SegmentNames.Extension))
            {
                delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no directory, no files; otherwise best effort: the pool's directory goes at shutdown
        }
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

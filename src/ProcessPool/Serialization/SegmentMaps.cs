namespace ProcessPool.Serialization;

/// <summary>
/// This process's mappings of segments other processes own, by path, kept so that a segment that
/// comes back (the worker's next result, the parent's next argument) is read without mapping it
/// again or faulting its pages in again. A mapping whose owner has retired the segment is dropped
/// at the next look-up; all of a directory's go with the pool
/// (<see cref="Forget(string, string)"/>). Buffers still using a dropped mapping keep it until they end.
/// </summary>
internal static class SegmentMaps
{
    private const int MostKept = 32;
    private static readonly Dictionary<string, MappedSegment> s_maps = new(StringComparer.Ordinal);
    private static readonly Lock s_lock = new();

    /// <summary>The mapping of the segment at <paramref name="path"/>, with a reference the caller releases.</summary>
    public static MappedSegment Open(string path)
    {
        lock (s_lock)
        {
            if (s_maps.TryGetValue(path, out var known) && known.State != MappedSegment.Retired)
            {
                DropLocked(static (_, s) => s.State == MappedSegment.Retired); // a retired segment's memory goes now, not at the next new mapping
                known.AddReference();
                return known;
            }
        }

        var segment = MappedSegment.Open(path); // outside the lock: mapping a large segment takes a while
        lock (s_lock)
        {
            DropLocked(static (_, s) => s.State == MappedSegment.Retired);
            if (s_maps.Count >= MostKept)
            {
                DropLocked(static (_, _) => true);
            }

            if (s_maps.Remove(path, out var stale))
            {
                stale.Release();
            }

            s_maps[path] = segment;
            segment.AddReference();
            return segment;
        }
    }

    /// <summary>Drops the mappings of <paramref name="directory"/>'s segments whose names start with <paramref name="prefix"/>.</summary>
    public static void Forget(string directory, string prefix = "")
    {
        lock (s_lock)
        {
            DropLocked((path, s) => s.Directory == directory && s.Name.StartsWith(prefix, StringComparison.Ordinal));
        }
    }

    private static void DropLocked(Func<string, MappedSegment, bool> drop)
    {
        List<string>? dropped = null;
        foreach (var (path, segment) in s_maps)
        {
            if (drop(path, segment))
            {
                (dropped ??= []).Add(path);
            }
        }

        foreach (string path in dropped ?? [])
        {
            s_maps.Remove(path, out var segment);
            segment!.Release();
        }
    }
}

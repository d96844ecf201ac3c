using System.Globalization;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Keeps the memory of a worker's short-lived large arrays committed from one array to the next.
/// </summary>
/// <remarks>
/// Every full collection trims the large object heap's first region to its last live object and
/// returns the rest to the OS (<c>sweep_uoh_objects</c>, <c>decommit_heap_segment_pages</c>; no GC setting
/// turns this off, <c>GCRetainVM</c> included). A worker's heap is small, so its budget for large objects
/// (3 MB at the least) runs out every few arrays of 85 KB to 32 MB: each collection gives the arrays
/// back, and the next ones fault in fresh pages (measured: every page of 256 arrays of 1 MiB, ~5 µs a
/// page on this project's VM). The worker therefore reserves a gap at the start of that region: it
/// allocates an array of <see cref="DefaultMegabytes"/> MB and, above it, a small large object it keeps.
/// Once the first collection frees the gap, the region ends at the kept object, the gap is free space
/// the GC keeps committed, and large arrays that fit are placed in it instead of in fresh memory.
/// Costs nothing until used (the gap's pages are touched only by the arrays placed there); then the
/// worker keeps up to that much resident, as a process with a larger heap would.
/// </remarks>
internal static class LargeObjectReserve
{
    /// <summary>The size of the gap in MB; 0 turns the reserve off. Set through <see cref="ProcessPoolOptions.EnvironmentVariables"/>.</summary>
    public const string SizeVariable = "PROCESSPOOL_WORKER_LOH_RESERVE_MB";

    /// <summary>Under the default large region (32 MB), so the gap and the kept object share it.</summary>
    public const int DefaultMegabytes = 24;

    /// <summary>The default gap stays below 1/64 of the memory the GC may use (a heap hard limit or a container's included).</summary>
    private const int MemoryShare = 64;

    /// <summary>A byte array the GC puts on the large object heap by default (85,000 bytes and more, with its header).</summary>
    private const int LargeObjectSize = 85_000;

    // The kept object: the large object heap's first region ends here, so nothing below it is decommitted.
    private static byte[]? s_ceiling;

    /// <summary>Places the reserve; a worker calls it once as it starts, on its warm-up thread.</summary>
    public static void Place()
    {
        int megabytes = MegabytesFor(Environment.GetEnvironmentVariable(SizeVariable), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        if (megabytes == 0)
        {
            return;
        }

        try
        {
            var gap = GC.AllocateUninitializedArray<byte>(megabytes << 20);
            s_ceiling = new byte[LargeObjectSize];
            GC.KeepAlive(gap);
        }
        catch (OutOfMemoryException)
        {
            // A size the heap's limit cannot hold: the worker runs without the reserve.
        }
    }

    /// <summary>The largest gap: the gap and the object kept above it must share one large region (32 MB by default).</summary>
    public const int MaxMegabytes = 30;

    /// <summary>A pool's own setting of <see cref="SizeVariable"/> that a worker would ignore is refused when the pool is built.</summary>
    public static void ThrowIfInvalid(IDictionary<string, string?> environment)
    {
        if (environment.TryGetValue(SizeVariable, out string? setting) && setting is not null
            && !(int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out int megabytes) && megabytes <= MaxMegabytes))
        {
            throw new ArgumentException(
                $"EnvironmentVariables[\"{SizeVariable}\"] is '{setting}'; it takes a whole number of MB from 0 (no reserve) to {MaxMegabytes}.", nameof(environment));
        }
    }

    /// <summary>
    /// The gap's size in MB: the variable's value if it holds a number from 0 to <see cref="MaxMegabytes"/>;
    /// otherwise the default, or 0 where the GC may use less than <see cref="MemoryShare"/> times the default.
    /// </summary>
    public static int MegabytesFor(string? setting, long availableMemoryBytes)
    {
        if (int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out int megabytes) && megabytes <= MaxMegabytes)
        {
            return megabytes;
        }

        return availableMemoryBytes >= ((long)MemoryShare * DefaultMegabytes) << 20 ? DefaultMegabytes : 0;
    }
}

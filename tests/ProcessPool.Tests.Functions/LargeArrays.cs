namespace ProcessPool.Tests.Functions;

/// <summary>Short-lived large arrays, as a CPU-bound task allocates them, and what they cost in page faults.</summary>
public static class LargeArrays
{
    /// <summary>
    /// Allocates <paramref name="arrays"/> arrays of <paramref name="kib"/> KiB one after the other, writes
    /// every page of each, and runs a full collection after each (as a small heap's budget for large
    /// objects does every few arrays); returns this process's minor page faults meanwhile, or -1 off Linux.
    /// </summary>
    public static long MinorFaultsWhileAllocating(int arrays, int kib)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        GC.Collect();
        long before = MinorFaults();
        for (int i = 0; i < arrays; i++)
        {
            var data = new byte[kib << 10];
            for (int page = 0; page < data.Length; page += 4096)
            {
                data[page] = 1;
            }

            GC.KeepAlive(data);
            GC.Collect();
        }

        return MinorFaults() - before;
    }

    /// <summary>Field 10 of /proc/self/stat.</summary>
    private static long MinorFaults()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}

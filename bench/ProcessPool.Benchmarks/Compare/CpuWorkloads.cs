using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The CPU-bound shapes of issue 11, each run sequentially, through <c>MapAsync</c> with default options on a
/// warm pool of 2 workers, and with <c>Parallel.For</c> at a degree of parallelism of 2, in that order,
/// once per repetition. Figures: <c>seq_cpu_{shape}_ms</c>, <c>pp_cpu_{shape}_ms</c>, <c>pf_cpu_{shape}_ms</c>
/// (wall clock); on Linux also CPU time and minor page faults, of the workers plus the parent during the
/// map (<c>pp_cpu_{shape}_cpu_ms</c>, <c>_parent_cpu_ms</c>, <c>_faults</c>) and of this process during the
/// sequential run (<c>seq_cpu_{shape}_cpu_ms</c>, <c>_faults</c>).
/// </summary>
internal sealed class CpuWorkloads
{
    private const int Workers = 2;

    public bool Quick { get; init; }

    /// <summary>One shape: its items and the function that runs on each (results are summed as a check).</summary>
    private sealed record Shape(string Key, long[] Items, Func<long, long> Work);

    public async Task RunAsync(Figures figures)
    {
        await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = Workers });
        foreach (var shape in Shapes())
        {
            // A warm round of each, not counted: the workers have the function defined and compiled, and
            // so has this process; the heaps on both sides have grown to the shape's allocations.
            await MeasureAsync(pool, shape, figures: null);
            await MeasureAsync(pool, shape, figures);
        }
    }

    private IEnumerable<Shape> Shapes()
    {
        // a. The Python docs' PRIMES: six uneven items (the last takes ~3x the others).
        yield return new Shape("primes", Workloads.Primes, static n => PrimeMath.IsPrime(n) ? 1 : 0);

        // b. Many ~1 ms items that allocate: a fresh 1 MiB array each, filled and hashed.
        yield return new Shape("alloc", Sequence(Quick ? 64 : 256), static seed => CpuWork.AllocateAndHash(seed, 1 << 20));

        // c. Many ~10 µs items.
        yield return new Shape("small", Sequence(Quick ? 2_000 : 20_000), static seed => CpuWork.Spin(seed, CpuWork.SmallItemSteps));

        // d. Long items, ≥ 100 ms each.
        yield return new Shape("long", Sequence(Quick ? 4 : 8), static seed => CpuWork.Spin(seed, CpuWork.LongItemSteps));

        // The primes below 6,000,000 (3,000,000 quick) in 60 blocks: the demo's map.
        int block = (Quick ? 3_000_000 : 6_000_000) / 60;
        yield return new Shape("map", [.. Sequence(60).Select(i => i * block)], start => PrimeMath.CountPrimes(start, block));
    }

    private static long[] Sequence(int count) => [.. Enumerable.Range(0, count).Select(i => (long)i)];

    private static async Task MeasureAsync(ProcessPoolExecutor pool, Shape shape, Figures? figures)
    {
        var faults = new FaultCounter(pool);
        long start = Stopwatch.GetTimestamp();
        long expected = 0;
        foreach (long item in shape.Items)
        {
            expected += shape.Work(item);
        }

        double sequential = Statistics.Milliseconds(start);
        var parentFaults = faults.OfParent();

        faults.Restart();
        start = Stopwatch.GetTimestamp();
        long pooled = 0;
        await foreach (long result in pool.MapAsync(shape.Work, shape.Items))
        {
            pooled += result;
        }

        double inPool = Statistics.Milliseconds(start);
        var workerFaults = faults.OfWorkers();
        var parentDuringMap = faults.OfParent();

        start = Stopwatch.GetTimestamp();
        long threaded = 0;
        Parallel.For(0, shape.Items.Length, new ParallelOptions { MaxDegreeOfParallelism = Workers }, i => Interlocked.Add(ref threaded, shape.Work(shape.Items[i])));
        double parallel = Statistics.Milliseconds(start);
        if (pooled != expected || threaded != expected)
        {
            throw new InvalidOperationException($"cpu {shape.Key}: the pool ({pooled}) or Parallel.For ({threaded}) disagrees with the sequential run ({expected}).");
        }

        if (figures is null)
        {
            return;
        }

        figures.Add($"seq_cpu_{shape.Key}_ms", sequential, "ms");
        figures.Add($"pp_cpu_{shape.Key}_ms", inPool, "ms");
        figures.Add($"pf_cpu_{shape.Key}_ms", parallel, "ms");
        if (workerFaults is { } workers && parentFaults is { } sequentialRun && parentDuringMap is { } parent)
        {
            // CPU time does not wait for a busy machine's other processes, as wall-clock time does.
            figures.Add($"pp_cpu_{shape.Key}_cpu_ms", workers.CpuMilliseconds + parent.CpuMilliseconds, "ms");
            figures.Add($"pp_cpu_{shape.Key}_parent_cpu_ms", parent.CpuMilliseconds, "ms");
            figures.Add($"seq_cpu_{shape.Key}_cpu_ms", sequentialRun.CpuMilliseconds, "ms");
            figures.Add($"pp_cpu_{shape.Key}_faults", workers.Faults, "faults");
            figures.Add($"seq_cpu_{shape.Key}_faults", sequentialRun.Faults, "faults");
        }
    }

    /// <summary>Minor page faults and CPU time of this process or of the pool's workers, from /proc (Linux only).</summary>
    private sealed class FaultCounter(ProcessPoolExecutor pool)
    {
        private (long Faults, double CpuMilliseconds) _parent = Read(Environment.ProcessId) ?? default;
        private Dictionary<int, (long Faults, double CpuMilliseconds)> _workers = ReadWorkers(pool);

        public void Restart()
        {
            _parent = Read(Environment.ProcessId) ?? default;
            _workers = ReadWorkers(pool);
        }

        public (long Faults, double CpuMilliseconds)? OfParent() =>
            Read(Environment.ProcessId) is { } now ? (now.Faults - _parent.Faults, now.CpuMilliseconds - _parent.CpuMilliseconds) : null;

        public (long Faults, double CpuMilliseconds)? OfWorkers()
        {
            var now = ReadWorkers(pool);
            if (now.Count == 0 || !now.Keys.All(_workers.ContainsKey))
            {
                return null; // not on Linux, or a worker was replaced in between
            }

            return (now.Sum(w => w.Value.Faults - _workers[w.Key].Faults), now.Sum(w => w.Value.CpuMilliseconds - _workers[w.Key].CpuMilliseconds));
        }

        private static Dictionary<int, (long Faults, double CpuMilliseconds)> ReadWorkers(ProcessPoolExecutor pool) =>
            pool.Workers.Select(w => (w.ProcessId, Stat: Read(w.ProcessId))).Where(w => w.Stat is not null).ToDictionary(w => w.ProcessId, w => w.Stat!.Value);

        /// <summary>Fields 10 (minflt), 14 and 15 (utime, stime in clock ticks, 100 per second) of /proc/&lt;pid&gt;/stat.</summary>
        private static (long Faults, double CpuMilliseconds)? Read(int processId)
        {
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            try
            {
                string stat = File.ReadAllText($"/proc/{processId}/stat");
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var culture = System.Globalization.CultureInfo.InvariantCulture;
                return (long.Parse(fields[7], culture), (long.Parse(fields[11], culture) + long.Parse(fields[12], culture)) * 10.0);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}

/// <summary>Deterministic CPU work of a chosen size, run in workers, on threads and sequentially alike.</summary>
internal static class CpuWork
{
    /// <summary>Steps of <see cref="Spin"/> for an item of about 10 µs on the project's machine.</summary>
    public const int SmallItemSteps = 7_000;

    /// <summary>Steps of <see cref="Spin"/> for an item of about 120 ms.</summary>
    public const int LongItemSteps = 84_000_000;

    /// <summary>A xorshift sequence of <paramref name="steps"/> dependent steps: pure CPU, no memory.</summary>
    public static long Spin(long seed, int steps)
    {
        ulong x = ((ulong)seed * 0x9E3779B97F4A7C15UL) | 1;
        for (int i = 0; i < steps; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }

        return (long)(x >> 1);
    }

    /// <summary>Allocates a fresh array of <paramref name="size"/> bytes, fills it from a xorshift sequence and hashes it (FNV-1a over 8-byte words, 4 passes).</summary>
    public static long AllocateAndHash(long seed, int size)
    {
        var data = new byte[size];
        var words = MemoryMarshal.Cast<byte, ulong>(data.AsSpan());
        ulong x = ((ulong)seed * 0x9E3779B97F4A7C15UL) | 1;
        for (int i = 0; i < words.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words[i] = x;
        }

        ulong hash = 14695981039346656037UL;
        for (int pass = 0; pass < 4; pass++)
        {
            foreach (ulong word in words)
            {
                hash = (hash ^ word) * 1099511628211UL;
            }
        }

        return (long)(hash >> 1);
    }
}

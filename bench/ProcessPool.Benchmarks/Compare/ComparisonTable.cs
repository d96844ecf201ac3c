using System.Globalization;
using System.Text;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The comparison's one table: each ProcessPool figure beside a reference measured in the same run,
/// their ratio, and the issue's target for that ratio.
/// </summary>
internal static class ComparisonTable
{
    internal enum Better
    {
        Lower,
        Higher,
    }

    /// <summary>One line: ProcessPool's figure against a reference, and the target for ProcessPool/reference.</summary>
    internal sealed record Row(string Workload, string PoolKey, string Reference, string ReferenceKey, Better Better, double? Target, string? Note = null)
    {
        /// <summary>
        /// The workload the pool's figure comes from, read off its key (pp_&lt;workload&gt;_…): it groups the
        /// rows into charts, so a new row is charted with its workload's without further edits.
        /// </summary>
        public string Group => PoolKey.Split('_')[1] switch
        {
            "idle" => "startup", // the start-up workload measures the idle worker too
            var workload => workload,
        };
    }

    internal static readonly Row[] Rows =
    [
        new("latency, median", "pp_latency_median_us", "raw pipe", "raw_latency_median_us", Better.Lower, 1.5),
        new("latency, median", "pp_latency_median_us", "Python PPE", "ppe_latency_median_us", Better.Lower, 0.1),
        new("latency, median", "pp_latency_median_us", "multiprocessing.Pool", "mp_latency_median_us", Better.Lower, null),
        new("latency, p99", "pp_latency_p99_us", "raw pipe", "raw_latency_p99_us", Better.Lower, null),
        new("latency, p99", "pp_latency_p99_us", "Python PPE", "ppe_latency_p99_us", Better.Lower, null),
        new("submit throughput", "pp_submit_per_s", "Python PPE", "ppe_submit_per_s", Better.Higher, 25),
        new("submit throughput", "pp_submit_per_s", "multiprocessing apply_async", "mp_submit_per_s", Better.Higher, 8),
        new("map throughput", "pp_map_per_s", "multiprocessing.Pool.map", "mp_map_per_s", Better.Higher, 2),
        new("map throughput", "pp_map_per_s", "Python PPE.map, same chunks", "ppe_map_chunked_per_s", Better.Higher, null),
        new("map throughput, first map (JIT)", "pp_map_first_per_s", "multiprocessing.Pool.map", "mp_map_per_s", Better.Higher, null),
        new("payload 64 KiB", "pp_payload_64kib_mb_s", "Python PPE", "ppe_payload_64kib_mb_s", Better.Higher, 1),
        new("payload 256 KiB", "pp_payload_256kib_mb_s", "Python PPE", "ppe_payload_256kib_mb_s", Better.Higher, 1),
        new("payload 1 MiB", "pp_payload_1mib_mb_s", "Python PPE", "ppe_payload_1mib_mb_s", Better.Higher, 1),
        new("payload 4 MiB", "pp_payload_4mib_mb_s", "Python PPE", "ppe_payload_4mib_mb_s", Better.Higher, 1),
        new("payload 16 MiB", "pp_payload_16mib_mb_s", "Python PPE", "ppe_payload_16mib_mb_s", Better.Higher, 1),
        new("payload 256 MiB", "pp_payload_256mib_mb_s", "Python PPE", "ppe_payload_256mib_mb_s", Better.Higher, 10),
        new("payload 1 MiB, shared buffer", "pp_payload_shared_1mib_mb_s", "Python PPE", "ppe_payload_1mib_mb_s", Better.Higher, null),
        new("payload 16 MiB, shared buffer", "pp_payload_shared_16mib_mb_s", "Python PPE", "ppe_payload_16mib_mb_s", Better.Higher, null),
        new("payload 256 MiB, shared buffer", "pp_payload_shared_256mib_mb_s", "Python PPE", "ppe_payload_256mib_mb_s", Better.Higher, 10),
        // Issue 11, target 1: each CPU shape within 5% of Parallel.For (2 threads); sequential beside it.
        new("CPU: PRIMES, 6 uneven items", "pp_cpu_primes_ms", "Parallel.ForEach", "pf_cpu_primes_ms", Better.Lower, 1.05),
        new("CPU: PRIMES, 6 uneven items", "pp_cpu_primes_ms", "sequential", "seq_cpu_primes_ms", Better.Lower, null),
        new("CPU: 256 items of ~1.2 ms, 1 MiB each", "pp_cpu_alloc_ms", "Parallel.For", "pf_cpu_alloc_ms", Better.Lower, 1.05),
        new("CPU: 256 items of ~1.2 ms, 1 MiB each", "pp_cpu_alloc_ms", "sequential", "seq_cpu_alloc_ms", Better.Lower, null),
        new("CPU: 256 × 1 MiB, minor page faults", "pp_cpu_alloc_faults", "sequential, this process", "seq_cpu_alloc_faults", Better.Lower, null, "workers' faults"),
        new("CPU: 20,000 items of ~10 µs", "pp_cpu_small_ms", "Parallel.For", "pf_cpu_small_ms", Better.Lower, 1.05),
        new("CPU: 20,000 items of ~10 µs", "pp_cpu_small_ms", "sequential", "seq_cpu_small_ms", Better.Lower, null),
        new("CPU: 8 items of ~120 ms", "pp_cpu_long_ms", "Parallel.For", "pf_cpu_long_ms", Better.Lower, 1.05),
        new("CPU: 8 items of ~120 ms", "pp_cpu_long_ms", "sequential", "seq_cpu_long_ms", Better.Lower, null),
        new("CPU: primes below 6M, 60 blocks", "pp_cpu_map_ms", "Parallel.For", "pf_cpu_map_ms", Better.Lower, 1.05),
        new("CPU: primes below 6M, 60 blocks", "pp_cpu_map_ms", "sequential", "seq_cpu_map_ms", Better.Lower, null),
        new("CPU time: PRIMES", "pp_cpu_primes_cpu_ms", "sequential", "seq_cpu_primes_cpu_ms", Better.Lower, null, "workers + parent"),
        new("CPU time: 256 × 1 MiB", "pp_cpu_alloc_cpu_ms", "sequential", "seq_cpu_alloc_cpu_ms", Better.Lower, null, "workers + parent"),
        new("CPU time: 20,000 × 10 µs", "pp_cpu_small_cpu_ms", "sequential", "seq_cpu_small_cpu_ms", Better.Lower, null, "workers + parent"),
        new("CPU time: 8 × 120 ms", "pp_cpu_long_cpu_ms", "sequential", "seq_cpu_long_cpu_ms", Better.Lower, null, "workers + parent"),
        new("CPU time: 60 prime blocks", "pp_cpu_map_cpu_ms", "sequential", "seq_cpu_map_cpu_ms", Better.Lower, null, "workers + parent"),
        new("CPU: PRIMES speed-up", "pp_cpu_primes_speedup", "Python PPE", "cpu_primes_speedup", Better.Higher, null),
        new("CPU: map speed-up", "pp_cpu_map_speedup", "Python PPE", "cpu_map_ppe_speedup", Better.Higher, null),
        new("CPU: 256 × 1 MiB speed-up", "pp_cpu_alloc_speedup", "multiprocessing.Pool", "cpu_alloc_mp_speedup", Better.Higher, null),
        new("start-up to first result", "pp_startup_ms", "Python PPE", "ppe_startup_ms", Better.Lower, null, "target: ≤ 60 ms"),
        new("new pool + StartAsync, workers ready", "pp_startup_ready_ms", "Python PPE", "ppe_startup_ms", Better.Lower, null, "paid before the first task"),
        new("first result after StartAsync", "pp_startup_warm_first_ms", "Python PPE", "ppe_startup_ms", Better.Lower, null, "what the first task pays"),
        new("idle worker RSS", "pp_idle_worker_rss_mb", "Python PPE", "ppe_idle_worker_rss_mb", Better.Lower, null, "target: ≤ 40 MB"),
    ];

    /// <summary>Adds the speed-ups derived from the measured times.</summary>
    public static void Derive(Figures figures)
    {
        // seq_*: this process's own sequential run (cpu_*_sequential_ms are Python's).
        AddSpeedup(figures, "pp_cpu_primes_speedup", "seq_cpu_primes_ms", "pp_cpu_primes_ms");
        AddSpeedup(figures, "pf_cpu_primes_speedup", "seq_cpu_primes_ms", "pf_cpu_primes_ms");
        AddSpeedup(figures, "pp_cpu_map_speedup", "seq_cpu_map_ms", "pp_cpu_map_ms");
        AddSpeedup(figures, "pf_cpu_map_speedup", "seq_cpu_map_ms", "pf_cpu_map_ms");
        AddSpeedup(figures, "pp_cpu_alloc_speedup", "seq_cpu_alloc_ms", "pp_cpu_alloc_ms");
    }

    /// <summary>The table in Markdown, with the absolute targets checked below it.</summary>
    public static string Render(Figures figures)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | ProcessPool | reference | reference's figure | ProcessPool / reference | target | met |");
        text.AppendLine("|---|---:|---|---:|---:|---:|:-:|");
        foreach (var row in Rows)
        {
            double? pool = figures[row.PoolKey];
            double? reference = figures[row.ReferenceKey];
            if (pool is null)
            {
                continue;
            }

            double? ratio = reference is > 0 ? pool / reference : null;
            string target = row.Target is { } t ? (row.Better == Better.Lower ? "≤ " : "≥ ") + Format(t) + "x" : row.Note ?? "";
            string met = row.Target is { } goal && ratio is { } r ? (row.Better == Better.Lower ? r <= goal : r >= goal) ? "yes" : "**no**" : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Workload} | {Show(figures, row.PoolKey)} | {row.Reference} | {(reference is null ? "not measured" : Show(figures, row.ReferenceKey))} | {(ratio is { } x ? Format(x) + "x" : "")} | {target} | {met} |");
        }

        text.AppendLine();
        Absolute(text, figures, "pp_cpu_map_speedup", "CPU-bound map speed-up on 2 workers", 1.9, Better.Higher);
        Absolute(text, figures, "pp_submit_per_s", "submit throughput", 500_000, Better.Higher);
        Absolute(text, figures, "pp_startup_ms", "start-up to first result", 60, Better.Lower);
        Absolute(text, figures, "pp_idle_worker_rss_mb", "idle worker RSS", 40, Better.Lower);
        return text.ToString();
    }

    private static void Absolute(StringBuilder text, Figures figures, string key, string what, double goal, Better better)
    {
        if (figures[key] is { } value)
        {
            bool met = better == Better.Lower ? value <= goal : value >= goal;
            text.AppendLine(CultureInfo.InvariantCulture, $"- {what}: {Show(figures, key)}, target {(better == Better.Lower ? "≤" : "≥")} {Format(goal)} {figures.UnitOf(key)}: {(met ? "met" : "**not met**")}");
        }
    }

    private static void AddSpeedup(Figures figures, string key, string sequentialKey, string parallelKey)
    {
        if (figures[sequentialKey] is { } sequential && figures[parallelKey] is { } parallel && parallel > 0)
        {
            figures.Add(key, sequential / parallel, "x");
        }
    }

    private static string Show(Figures figures, string key) => $"{Format(figures[key]!.Value)} {figures.UnitOf(key)}";

    internal static string Format(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("F0", CultureInfo.InvariantCulture) + "k",
        >= 100 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("F1", CultureInfo.InvariantCulture),
        _ => value.ToString("F2", CultureInfo.InvariantCulture),
    };
}

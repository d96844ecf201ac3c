using System.Diagnostics;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The comparison's workloads on ProcessPool and on in-process references, one repetition each.
/// All use 2 workers. Sizes shrink with <see cref="Quick"/> for a smoke run.
/// </summary>
internal sealed class PoolWorkloads
{
    private const int Workers = 2;

    public bool Quick { get; init; }

    private static ProcessPoolOptions Options => new() { MaxWorkers = Workers };

    /// <summary>Sequential no-op round trips on a warm pool: median and p99 in µs. Also the raw pipe's.</summary>
    public async Task LatencyAsync(Figures figures)
    {
        int calls = Quick ? 2_000 : 20_000;
        await using var pool = new ProcessPoolExecutor(Options);
        for (int i = 0; i < 2_000; i++)
        {
            await pool.SubmitAsync(Workloads.NoOp, i);
        }

        var micros = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await pool.SubmitAsync(Workloads.NoOp, i);
            micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(micros);
        figures.Add("pp_latency_median_us", Statistics.Percentile(micros, 0.5), "µs");
        figures.Add("pp_latency_p99_us", Statistics.Percentile(micros, 0.99), "µs");

        var raw = RawPipe.MeasureRoundTrips(2_000, calls);
        figures.Add("raw_latency_median_us", Statistics.Percentile(raw, 0.5), "µs");
        figures.Add("raw_latency_p99_us", Statistics.Percentile(raw, 0.99), "µs");
    }

    /// <summary>100,000 no-op Submits awaited together on a warm pool: calls per second.</summary>
    public async Task SubmitAsync(Figures figures)
    {
        int calls = Quick ? 10_000 : 100_000;
        await using var pool = new ProcessPoolExecutor(Options);
        await SubmitAllAsync(pool, calls / 10);
        long start = Stopwatch.GetTimestamp();
        await SubmitAllAsync(pool, calls);
        figures.Add("pp_submit_per_s", calls / Stopwatch.GetElapsedTime(start).TotalSeconds, "/s");

        static Task SubmitAllAsync(ProcessPoolExecutor pool, int count)
        {
            var tasks = new Task<int>[count];
            for (int i = 0; i < count; i++)
            {
                tasks[i] = pool.SubmitAsync(Workloads.NoOp, i);
            }

            return Task.WhenAll(tasks);
        }
    }

    /// <summary>
    /// 1,000,000 tiny items through MapAsync with automatic chunking: items per second, warm (after one
    /// map of the same size, as a steady-state figure) and, on the first repetition, the first map of
    /// this process, which includes compiling the hot paths (tiered JIT).
    /// </summary>
    public async Task MapAsync(Figures figures)
    {
        int items = Quick ? 100_000 : 1_000_000;
        await using var pool = new ProcessPoolExecutor(Options);
        await ConsumeAsync(pool, 1_000); // start both workers
        long start = Stopwatch.GetTimestamp();
        await ConsumeAsync(pool, items);
        if (figures["pp_map_first_per_s"] is null)
        {
            figures.Add("pp_map_first_per_s", items / Stopwatch.GetElapsedTime(start).TotalSeconds, "/s");
        }

        start = Stopwatch.GetTimestamp();
        await ConsumeAsync(pool, items);
        figures.Add("pp_map_per_s", items / Stopwatch.GetElapsedTime(start).TotalSeconds, "/s");

        static async Task ConsumeAsync(ProcessPoolExecutor pool, int count)
        {
            long sum = 0;
            await foreach (int result in pool.MapAsync(Workloads.NoOp, Enumerable.Range(0, count)))
            {
                sum += result;
            }

            if (sum != (long)count * (count - 1) / 2)
            {
                throw new InvalidOperationException($"The map returned the wrong results (sum {sum}).");
            }
        }
    }

    /// <summary>The echo's sizes: figure-key label, bytes, round trips per repetition.</summary>
    private (string Label, int Bytes, int Trips)[] PayloadSizes => Quick
        ? [("1mib", 1 << 20, 5), ("16mib", 16 << 20, 2)]
        : [("64kib", 64 << 10, 200), ("256kib", 256 << 10, 50), ("1mib", 1 << 20, 20), ("4mib", 4 << 20, 10), ("16mib", 16 << 20, 5), ("256mib", 256 << 20, 1)];

    /// <summary>
    /// Echo of a byte[] from 64 KiB to 256 MiB: size over round trip, in MB/s (MiB). Then the same
    /// echo through <see cref="SharedBuffer"/>s at 1, 16 and 256 MiB: the caller rents a buffer and
    /// fills it, the worker rents its result and copies the argument into it, the caller checks it
    /// and disposes of both (so the next round trip reuses the same memory on both sides).
    /// </summary>
    public async Task PayloadAsync(Figures figures)
    {
        await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });

        // Steady state, as Python's figures are: the path's code is compiled by the JIT's optimising
        // tier in both processes (a count of echoes is not enough: tiering waits for a quiet 100 ms).
        var warmUp = new byte[64 << 10];
        for (long start = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(start).TotalMilliseconds < 500;)
        {
            await EchoAsync(pool, warmUp);
        }

        foreach (var (label, bytes, trips) in PayloadSizes)
        {
            var data = new byte[bytes];
            Random.Shared.NextBytes(data);
            for (int i = 0; i < Math.Max(1, trips / 4); i++)
            {
                await EchoAsync(pool, data); // warm-up at this size
            }

            figures.AddMedian($"pp_payload_{label}_mb_s", await RatesAsync(data, trips, () => EchoAsync(pool, data)), "MB/s");
        }

        foreach (var (label, bytes, trips) in PayloadSizes.Where(s => s.Bytes >= 1 << 20))
        {
            var data = new byte[bytes];
            Random.Shared.NextBytes(data);
            await SharedEchoAsync(pool, data);
            figures.AddMedian($"pp_payload_shared_{label}_mb_s", await RatesAsync(data, trips, () => SharedEchoAsync(pool, data)), "MB/s");
        }

        static async Task<List<double>> RatesAsync(byte[] data, int trips, Func<Task> echo)
        {
            var rates = new List<double>();
            for (int i = 0; i < trips; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await echo();
                rates.Add(data.Length / (double)(1 << 20) / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            return rates;
        }

        static async Task EchoAsync(ProcessPoolExecutor pool, byte[] data)
        {
            byte[] back = await pool.SubmitAsync(Workloads.Echo, data);
            if (back.Length != data.Length || back[^1] != data[^1] || back[0] != data[0])
            {
                throw new InvalidOperationException("The echo returned different bytes.");
            }
        }

        static async Task SharedEchoAsync(ProcessPoolExecutor pool, byte[] data)
        {
            using var argument = pool.RentBuffer(data.Length);
            data.CopyTo(argument.Span);
            using var back = await pool.SubmitAsync(Workloads.CopyToOwnBuffer, argument);
            if (back.Length != data.Length || back.Span[^1] != data[^1] || back.Span[0] != data[0])
            {
                throw new InvalidOperationException("The shared echo returned different bytes.");
            }
        }
    }

    /// <summary>The CPU-bound shapes (<see cref="CpuWorkloads"/>): pool against sequential and Parallel.For.</summary>
    public Task CpuAsync(Figures figures) => new CpuWorkloads { Quick = Quick }.RunAsync(figures);

    /// <summary>`new ProcessPoolExecutor` to the first result, fresh pools; then an idle worker's RSS.</summary>
    public async Task StartupAsync(Figures figures)
    {
        int pools = Quick ? 3 : 10;
        var times = new List<double>();
        for (int run = 0; run <= pools; run++)
        {
            long start = Stopwatch.GetTimestamp();
            await using var pool = new ProcessPoolExecutor(Options);
            await pool.SubmitAsync(Workloads.NoOp, 1);
            if (run > 0)
            {
                times.Add(Statistics.Milliseconds(start)); // run 0 warms this process's own code
            }
        }

        figures.AddMedian("pp_startup_ms", times, "ms");

        // A warm start: StartAsync pays the start-up before the first task (as an app or a host does at
        // its own start), then the first result is timed on its own.
        var ready = new List<double>();
        var first = new List<double>();
        for (int run = 0; run < pools; run++)
        {
            long start = Stopwatch.GetTimestamp();
            await using var pool = new ProcessPoolExecutor(Options);
            await pool.StartAsync();
            ready.Add(Statistics.Milliseconds(start));
            start = Stopwatch.GetTimestamp();
            await pool.SubmitAsync(Workloads.NoOp, 1);
            first.Add(Statistics.Milliseconds(start));
        }

        figures.AddMedian("pp_startup_ready_ms", ready, "ms");
        figures.AddMedian("pp_startup_warm_first_ms", first, "ms");

        await using var idle = new ProcessPoolExecutor(Options);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => idle.SubmitAsync(Workloads.NoOp, i)));
        await Task.Delay(500); // let the workers settle into idleness
        var rss = idle.Workers.Select(w => ResidentMegabytes(w.ProcessId)).Where(mb => mb > 0).ToList();
        if (rss.Count > 0)
        {
            figures.AddMedian("pp_idle_worker_rss_mb", rss, "MB");
        }
    }

    /// <summary>VmRSS of a process in MiB, from /proc; 0 where /proc is not available.</summary>
    private static double ResidentMegabytes(int processId)
    {
        string status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return 0;
        }

        string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}

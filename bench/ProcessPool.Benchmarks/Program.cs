// Benchmarks for ProcessPool. Usage: dotnet run -c Release --project bench/ProcessPool.Benchmarks -- [startup|latency|all]
using System.Diagnostics;
using ProcessPool;
using ProcessPool.Benchmarks;

string command = args.FirstOrDefault() ?? "all";
if (command is "startup" or "all")
{
    await StartupAsync();
}

if (command is "latency" or "all")
{
    await LatencyAsync();
}

// Time from `new ProcessPoolExecutor` to the first result, with 2 workers; a fresh pool each run.
static async Task StartupAsync()
{
    const int Runs = 10;
    var times = new List<double>();
    for (int run = 0; run < Runs + 1; run++)
    {
        long start = Stopwatch.GetTimestamp();
        await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
        await pool.SubmitAsync(Workloads.NoOp, 1);
        if (run > 0)
        {
            times.Add(Measure.Milliseconds(start)); // run 0 warms up this process's own code
        }
    }

    Console.WriteLine($"start-up to first result (2 workers): median {Measure.Median(times):F1} ms over {Runs} pools (min {times.Min():F1}, max {times.Max():F1})");
}

// Sequential no-op Submit round trips on a warm pool of 2 workers.
static async Task LatencyAsync()
{
    const int Warmup = 2000;
    const int Calls = 20000;
    await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
    for (int i = 0; i < Warmup; i++)
    {
        await pool.SubmitAsync(Workloads.NoOp, i);
    }

    var micros = new double[Calls];
    for (int i = 0; i < Calls; i++)
    {
        long start = Stopwatch.GetTimestamp();
        await pool.SubmitAsync(Workloads.NoOp, i);
        micros[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(micros);
    Console.WriteLine($"no-op Submit round trip: median {Measure.Percentile(micros, 0.5):F1} µs, p99 {Measure.Percentile(micros, 0.99):F1} µs over {Calls} calls");
}

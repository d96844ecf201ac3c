using System.Diagnostics;
using System.Globalization;

namespace ProcessPool.Benchmarks.Soak;

/// <summary>
/// The reliability soak: for a set duration, maps under random SIGKILLs (with retries: every result
/// must come back exactly once, in order), submits under SIGKILLs (without retries: every task ends
/// once, with its result or WorkerCrashedException), runaway tasks stopped by their timeout; then
/// create/use/dispose cycles, counting processes, descriptors and threads before and after.
/// Prints the counts and exits 1 if anything was lost, duplicated, hung or leaked.
/// </summary>
internal static class SoakCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var duration = TimeSpan.FromSeconds(Option(args, "--duration", 60));
        var killInterval = TimeSpan.FromMilliseconds(Option(args, "--kill-interval-ms", 50));
        int workers = (int)Option(args, "--workers", 2);
        int items = (int)Option(args, "--items", 20_000);
        int cycles = (int)Option(args, "--cycles", 1000);
        Console.WriteLine($"soak: {duration.TotalSeconds:0} s of chaos with {workers} workers, a SIGKILL every {killInterval.TotalMilliseconds:0} ms, maps of {items:N0} items; then {cycles:N0} create/use/dispose cycles");

        var totals = new Totals();
        var watch = Stopwatch.StartNew();
        var recoveries = new List<double>();
        int round = 0;
        while (watch.Elapsed < duration)
        {
            round++;
            await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = workers });
            await using (var killer = new Killer(pool, killInterval, seed: round))
            {
                await MapUnderChaosAsync(pool, items, totals);
                await SubmitsUnderChaosAsync(pool, items, totals);
                totals.Kills += killer.Kills;
                recoveries.AddRange(killer.Recoveries);
            }

            await RunawayAsync(pool, totals);
            Console.WriteLine($"  round {round} at {watch.Elapsed.TotalSeconds:0} s: {totals}");
        }

        var leaks = Cycles(cycles);
        recoveries.Sort();
        Console.WriteLine();
        Console.WriteLine($"chaos: {totals}");
        if (recoveries.Count > 0)
        {
            Console.WriteLine($"recovery after a kill (ms, kill to first answer of a replacement): median {recoveries[recoveries.Count / 2]:0}, p95 {recoveries[(int)(recoveries.Count * 0.95)]:0}, max {recoveries[^1]:0} over {recoveries.Count} kills");
        }

        if (totals.RunawayStopTimes.Count > 0)
        {
            var stops = totals.RunawayStopTimes.Order().ToList();
            Console.WriteLine($"runaway task (200 ms timeout + 100 ms grace), submit to TaskTimeoutException (ms): median {stops[stops.Count / 2]:0}, max {stops[^1]:0} over {stops.Count}");
        }

        Console.WriteLine($"cycles: {leaks}");
        bool clean = totals.Lost == 0 && totals.Duplicated == 0 && totals.Hung == 0 && totals.Wrong == 0 && totals.TimeoutsMissed == 0 && leaks.Clean;
        Console.WriteLine(clean ? "PASS: nothing lost, duplicated, hung or leaked" : "FAIL");
        return clean ? 0 : 1;
    }

    private static async Task MapUnderChaosAsync(ProcessPoolExecutor pool, int items, Totals totals)
    {
        var options = new MapOptions { RetryPolicy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.Zero } };
        var seen = new int[items];
        int position = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await foreach (long result in pool.MapAsync(SoakWork.Item, Enumerable.Range(0, items).Select(i => (long)i), options).WithCancellation(deadline.Token))
            {
                int index = (int)result - 1;
                if (index != position++ || (uint)index >= (uint)items)
                {
                    totals.Wrong++;
                    continue;
                }

                seen[index]++;
            }
        }
        catch (OperationCanceledException)
        {
            totals.Hung += items - position;
        }

        totals.MapItems += items;
        totals.Lost += seen.Count(n => n == 0);
        totals.Duplicated += seen.Count(n => n > 1);
    }

    private static async Task SubmitsUnderChaosAsync(ProcessPoolExecutor pool, int count, Totals totals)
    {
        var tasks = Enumerable.Range(0, count).Select(i => pool.SubmitAsync(SoakWork.Item, (long)i)).ToArray();
        await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromMinutes(5)));
        for (int i = 0; i < count; i++)
        {
            var task = tasks[i];
            if (!task.IsCompleted)
            {
                totals.Hung++;
            }
            else if (task.IsCompletedSuccessfully)
            {
                if (await task == i + 1) { totals.SubmitResults++; } else { totals.Wrong++; }
            }
            else if (task.Exception?.InnerException is WorkerCrashedException)
            {
                totals.SubmitCrashed++;
            }
            else
            {
                totals.Wrong++;
            }
        }
    }

    private static async Task RunawayAsync(ProcessPoolExecutor pool, Totals totals)
    {
        var options = new TaskOptions { Timeout = TimeSpan.FromMilliseconds(200), KillGracePeriod = TimeSpan.FromMilliseconds(100) };
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await pool.SubmitAsync(SoakWork.Spin, 0, options).WaitAsync(TimeSpan.FromMinutes(1));
                totals.TimeoutsMissed++;
                return;
            }
            catch (TaskTimeoutException)
            {
                totals.TimeoutsEnforced++;
                totals.RunawayStopTimes.Add(watch.Elapsed.TotalMilliseconds);
                return;
            }
            catch (WorkerCrashedException)
            {
                // its worker was one the chaos had just killed, before the pool heard of it: try again
            }
            catch (TimeoutException)
            {
                totals.TimeoutsMissed++;
                return;
            }
        }

        totals.TimeoutsMissed++;
    }

    private static LeakCounts Cycles(int cycles)
    {
        CycleOnce(0);
        var before = Resources.Take();
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < cycles; i++)
        {
            CycleOnce(i);
        }

        return new LeakCounts(cycles, before, Resources.Take(), watch.Elapsed);
    }

    private static void CycleOnce(int i)
    {
        using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
        if (pool.SubmitAsync(SoakWork.Item, (long)i).GetAwaiter().GetResult() != i + 1)
        {
            throw new InvalidOperationException("a cycle's task returned the wrong result");
        }
    }

    private static double Option(string[] args, string name, double fallback)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? double.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class Totals
    {
        public long MapItems, Lost, Duplicated, Wrong, Hung, SubmitResults, SubmitCrashed, Kills, TimeoutsEnforced, TimeoutsMissed;

        public List<double> RunawayStopTimes { get; } = [];

        public override string ToString() =>
            $"map items {MapItems:N0} (lost {Lost}, duplicated {Duplicated}), submits {SubmitResults + SubmitCrashed:N0} ({SubmitResults:N0} results, {SubmitCrashed:N0} WorkerCrashedException), " +
            $"wrong {Wrong}, hung {Hung}, workers killed {Kills:N0}, runaway tasks stopped {TimeoutsEnforced} (missed {TimeoutsMissed})";
    }

    private readonly record struct Resources(int ChildProcesses, int FileDescriptors, int Threads)
    {
        public static Resources Take()
        {
            int self = Environment.ProcessId, children = 0;
            foreach (string dir in Directory.EnumerateDirectories("/proc"))
            {
                try
                {
                    if (int.TryParse(Path.GetFileName(dir), out _) && File.ReadAllText(Path.Combine(dir, "stat")) is var stat
                        && int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == self)
                    {
                        children++;
                    }
                }
                catch (IOException)
                {
                    // exited while we looked
                }
            }

            return new Resources(children, Directory.GetFiles("/proc/self/fd").Length, Directory.GetDirectories("/proc/self/task").Length);
        }

        public override string ToString() => $"{ChildProcesses} child processes, {FileDescriptors} fds, {Threads} threads";
    }

    private readonly record struct LeakCounts(int Cycles, Resources Before, Resources After, TimeSpan Elapsed)
    {
        public bool Clean => After.ChildProcesses <= Before.ChildProcesses && After.FileDescriptors <= Before.FileDescriptors + 4 && After.Threads <= Before.Threads + 8;

        public override string ToString() =>
            $"{Cycles:N0} create/use/dispose cycles in {Elapsed.TotalSeconds:0} s ({Elapsed.TotalMilliseconds / Math.Max(1, Cycles):0} ms each): before {Before}; after {After}";
    }
}

using System.Diagnostics;

namespace ProcessPool.Benchmarks.Soak;

/// <summary>
/// Kills a random worker (one that has answered at least one call) with SIGKILL at a steady cadence,
/// and measures how long the pool takes to recover: from each kill until a replacement worker has
/// answered its first call.
/// </summary>
internal sealed class Killer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<double> _recoveries = [];

    public Killer(ProcessPoolExecutor pool, TimeSpan interval, int seed)
    {
        var random = new Random(seed);
        _loop = Task.Run(async () =>
        {
            var pending = new List<(long At, HashSet<int> Before)>();
            var watch = Stopwatch.StartNew();
            long lastKill = 0;
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (await tick.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var workers = pool.Workers;
                var answered = workers.Where(w => w.TasksCompleted > 0).ToList();
                pending.RemoveAll(kill =>
                {
                    if (!answered.Any(w => !kill.Before.Contains(w.WorkerId)))
                    {
                        return false;
                    }

                    _recoveries.Add((watch.ElapsedTicks - kill.At) * 1000.0 / Stopwatch.Frequency);
                    return true;
                });

                if (answered.Count == 0 || watch.ElapsedTicks - lastKill < interval.TotalSeconds * Stopwatch.Frequency)
                {
                    continue;
                }

                try
                {
                    using var victim = Process.GetProcessById(answered[random.Next(answered.Count)].ProcessId);
                    victim.Kill();
                    lastKill = watch.ElapsedTicks;
                    pending.Add((lastKill, [.. workers.Select(w => w.WorkerId)]));
                    Kills++;
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // it had just exited
                }
            }
        });
    }

    public int Kills { get; private set; }

    /// <summary>Milliseconds from a kill to the first answer of a worker started after it.</summary>
    public IReadOnlyList<double> Recoveries => _recoveries;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

using System.Diagnostics;

namespace ProcessPool.Tests.Support;

/// <summary>
/// Kills a random worker of a pool with SIGKILL at a steady cadence, until disposed. Only workers that
/// have answered at least one call are eligible: a .NET worker takes longer to start (130 ms and more
/// here) than the cadence, so killing fresh ones would only measure start-up, never the pool's recovery.
/// </summary>
internal sealed class Chaos : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="pool">The pool whose workers are killed.</param>
    /// <param name="interval">The cadence of the kills.</param>
    /// <param name="activeFor">How long the kills go on; then the pool is left to finish, so a slow machine cannot turn chaos into a timeout.</param>
    /// <param name="seed">Which workers are picked.</param>
    public Chaos(ProcessPoolExecutor pool, TimeSpan interval, TimeSpan activeFor, int seed = 1234)
    {
        var random = new Random(seed);
        var active = Stopwatch.StartNew();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval); // the cadence of the faults, not a synchronisation
            while (active.Elapsed < activeFor && await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                var workers = pool.Workers.Where(w => w.TasksCompleted > 0).ToList();
                if (workers.Count == 0)
                {
                    continue;
                }

                try
                {
                    using var victim = Process.GetProcessById(workers[random.Next(workers.Count)].ProcessId);
                    victim.Kill();
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

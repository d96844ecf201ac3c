using System.Diagnostics;

namespace ProcessPool.Benchmarks.Soak;

/// <summary>What the soak program runs in workers: short CPU-bound items, and code that never ends.</summary>
internal static class SoakWork
{
    /// <summary>About 20 µs of CPU work, then x + 1.</summary>
    public static long Item(long x)
    {
        long until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 50_000);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }

        return x + 1;
    }

    /// <summary>Spins for ever without looking at its token.</summary>
    public static int Spin(int ignored)
    {
        while (true)
        {
            Thread.SpinWait(100);
        }
    }
}

using System.Diagnostics;

namespace ProcessPool.Scheduling;

/// <summary>Arithmetic on <see cref="Stopwatch.GetTimestamp"/> values, which the scheduler uses for every deadline.</summary>
internal static class Timestamps
{
    public static long After(long timestamp, TimeSpan delay) =>
        delay.Ticks >= long.MaxValue / Stopwatch.Frequency ? long.MaxValue : timestamp + (long)(delay.Ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));

    public static TimeSpan Until(long now, long timestamp) =>
        timestamp <= now ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, timestamp);
}

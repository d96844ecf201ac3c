namespace ProcessPool.Scheduling;

/// <summary>Arithmetic on timestamps (<see cref="TimeProvider.GetTimestamp"/> values), which the scheduler uses for every deadline.</summary>
internal static class Timestamps
{
    /// <summary>The longest a timer or <see cref="Task.Delay(TimeSpan)"/> accepts (about 24 days); longer waits are cut to it and re-armed.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>
    /// <paramref name="timestamp"/> plus <paramref name="delay"/>, for timestamps that count
    /// <paramref name="frequency"/> ticks a second, saturating at <see cref="long.MaxValue"/> ("never").
    /// </summary>
    public static long After(long timestamp, TimeSpan delay, long frequency)
    {
        double ticks = delay.Ticks * (frequency / (double)TimeSpan.TicksPerSecond);
        return ticks >= long.MaxValue - (double)timestamp ? long.MaxValue : timestamp + (long)ticks;
    }

    /// <summary>A wait that timers and <see cref="Task.Delay(TimeSpan)"/> accept.</summary>
    public static TimeSpan Bounded(TimeSpan wait) => wait > LongestWait ? LongestWait : wait;
}

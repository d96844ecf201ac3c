namespace ProcessPool.Scheduling;

/// <summary>
/// The scheduler's time: timestamps, deadlines, timers and delays, all from one <see cref="TimeProvider"/>
/// (the system's in a pool, a fake one in tests, so deadlines can be tested without waiting for them).
/// </summary>
internal sealed class Clock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public long Now => Time.GetTimestamp();

    /// <summary><paramref name="timestamp"/> plus <paramref name="delay"/>, saturating at <see cref="long.MaxValue"/> ("never").</summary>
    public long After(long timestamp, TimeSpan delay) => Timestamps.After(timestamp, delay, Time.TimestampFrequency);

    /// <summary>How long from <paramref name="now"/> until <paramref name="timestamp"/>; zero if it has passed.</summary>
    public TimeSpan Until(long now, long timestamp) => timestamp <= now ? TimeSpan.Zero : Time.GetElapsedTime(now, timestamp);

    public TimeSpan Elapsed(long since, long now) => Time.GetElapsedTime(since, now);

    /// <summary>A timer that is not running yet (see <see cref="ITimer.Change"/>).</summary>
    public ITimer CreateTimer(Action callback) => CreateTimer(callback, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <summary>A periodic timer, first due after <paramref name="period"/>.</summary>
    public ITimer CreatePeriodicTimer(Action callback, TimeSpan period) => CreateTimer(callback, period, period);

    // The pool's timers outlive whatever call made them: they do not keep its AsyncLocals (a logging scope, an Activity) alive.
    private ITimer CreateTimer(Action callback, TimeSpan dueTime, TimeSpan period)
    {
        using var suppressed = ExecutionContext.IsFlowSuppressed() ? default(AsyncFlowControl?) : ExecutionContext.SuppressFlow();
        return Time.CreateTimer(static state => ((Action)state!)(), callback, dueTime, period);
    }

    /// <summary>Completes after <paramref name="delay"/> (cut to what a timer takes; see <see cref="Timestamps.Bounded"/>).</summary>
    public Task Delay(TimeSpan delay) => Task.Delay(Timestamps.Bounded(delay), Time);
}

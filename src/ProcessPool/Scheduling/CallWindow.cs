namespace ProcessPool.Scheduling;

/// <summary>
/// How many calls one worker holds at once (sent, not yet answered), sized from the worker's own timing
/// of the calls it answered. Short calls: about <see cref="TargetQueuedTime"/> of work, 2 to
/// <see cref="Max"/> calls, so the channel never idles between them. Long calls (from
/// <see cref="LongCall"/>): one at a time, so that none waits behind another while a worker could take
/// it; the round trip between two long calls costs under 0.5% of them. Two until timed.
/// </summary>
internal sealed class CallWindow
{
    public const int Max = 256;
    private const int MinForShortCalls = 2;
    private static readonly long TargetQueuedTime = TimeSpan.FromMilliseconds(1).Ticks;
    private static readonly long LongCall = TimeSpan.FromMilliseconds(10).Ticks;
    private double _averageTicks = -1;

    public int Size { get; private set; } = MinForShortCalls;

    /// <summary>A call came back; <paramref name="workerTicks"/> is how long the worker spent on it.</summary>
    public void Observe(long workerTicks)
    {
        double ticks = Math.Max(workerTicks, 1);

        // A call far slower than the average shrinks the window at once: tiny calls queued behind a
        // long one would wait for all of it.
        _averageTicks = _averageTicks < 0 || ticks > 10 * _averageTicks ? ticks : (0.9 * _averageTicks) + (0.1 * ticks);
        Size = _averageTicks >= LongCall ? 1 : (int)Math.Clamp(TargetQueuedTime / _averageTicks, MinForShortCalls, Max);
    }
}

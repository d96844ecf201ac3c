namespace ProcessPool.Scheduling;

/// <summary>
/// How many calls one worker holds at once (sent, not yet answered). Enough short calls that its
/// channel never idles between them, and few long ones, so that work does not wait behind a slow call
/// while another worker could take it. Sized from the worker's own timing of the calls it answered:
/// about <see cref="TargetQueuedTime"/> of work per worker, between <see cref="Min"/> and <see cref="Max"/> calls.
/// </summary>
internal sealed class CallWindow
{
    public const int Min = 2;
    public const int Max = 256;
    private static readonly long TargetQueuedTime = TimeSpan.FromMilliseconds(1).Ticks;
    private double _averageTicks = -1;

    public int Size { get; private set; } = Min;

    /// <summary>A call came back; <paramref name="workerTicks"/> is how long the worker spent on it.</summary>
    public void Observe(long workerTicks)
    {
        double ticks = Math.Max(workerTicks, 1);
        _averageTicks = _averageTicks < 0 ? ticks : (0.9 * _averageTicks) + (0.1 * ticks);
        Size = (int)Math.Clamp(TargetQueuedTime / _averageTicks, Min, Max);
    }
}

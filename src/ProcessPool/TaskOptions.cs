namespace ProcessPool;

/// <summary>
/// Settings of one submitted task. Whatever is left <see langword="null"/> takes the pool's default from
/// <see cref="ProcessPoolOptions"/>.
/// </summary>
public sealed class TaskOptions
{
    private TimeSpan? _timeout;
    private TimeSpan? _killGracePeriod;
    private CancellationMode? _cancellationMode;

    /// <summary>
    /// The longest the task may run, counted from when it starts in a worker (time spent waiting in the
    /// queue does not count). When it passes, the task's token is signalled; if the task is still
    /// running <see cref="KillGracePeriod"/> later, its worker is killed and a replacement started.
    /// The task fails with <see cref="TaskTimeoutException"/>, whether it was killed or stopped (threw or
    /// ended cancelled) when signalled; a task that returns its result within the grace period
    /// completes with it. Other tasks are unaffected.
    /// </summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.TaskTimeout"/>. When set, must be positive or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> (no limit).</value>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set => _timeout = Validate.TimeoutOrInfinite(value, nameof(Timeout));
    }

    /// <summary>How long a timed-out task, or one cancelled with <see cref="CancellationMode.Kill"/>, may take to end on its own before its worker is killed.</summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.KillGracePeriod"/>. When set, must not be negative.</value>
    public TimeSpan? KillGracePeriod
    {
        get => _killGracePeriod;
        set => _killGracePeriod = Validate.NotNegative(value, nameof(KillGracePeriod));
    }

    /// <summary>What cancelling the task's token does once the task is running.</summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.CancellationMode"/> (itself <see cref="ProcessPool.CancellationMode.Signal"/> by default). When set, must be a value <see cref="ProcessPool.CancellationMode"/> defines.</value>
    public CancellationMode? CancellationMode
    {
        get => _cancellationMode;
        set => _cancellationMode = value is { } mode ? Validate.Defined(mode, nameof(CancellationMode)) : null;
    }

    /// <summary>Re-runs the task if its worker dies under it. </summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.RetryPolicy"/> (itself off by default).</value>
    public RetryPolicy? RetryPolicy { get; set; }
}

namespace ProcessPool;

/// <summary>
/// Re-runs a task whose worker died under it (a crash, a kill from outside, an out-of-memory kill),
/// up to <see cref="MaxAttempts"/> times in all, waiting longer before each new attempt. Exceptions the
/// task throws itself are not retried unless <see cref="RetryOnException"/> says so; timeouts and
/// cancellations never are. When every attempt fails, the task fails with the last attempt's exception;
/// a <see cref="WorkerCrashedException"/> then lists the earlier attempts' failures in
/// <see cref="WorkerCrashedException.PreviousAttempts"/>.
/// </summary>
/// <remarks>
/// A retried task runs again from the start, so it should be safe to run twice. A Map chunk is retried
/// as a whole.
/// </remarks>
public sealed class RetryPolicy
{
    private int _maxAttempts = 3;
    private TimeSpan _initialDelay = TimeSpan.FromMilliseconds(100);
    private double _backoffMultiplier = 2;
    private TimeSpan _maxDelay = TimeSpan.FromSeconds(10);

    /// <summary>Attempts in all, the first included.</summary>
    /// <value>Default: 3. Must be at least 1.</value>
    public int MaxAttempts
    {
        get => _maxAttempts;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxAttempts));
            _maxAttempts = value;
        }
    }

    /// <summary>The wait before the second attempt.</summary>
    /// <value>Default: 100 ms. Must not be negative.</value>
    public TimeSpan InitialDelay
    {
        get => _initialDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(InitialDelay));
            _initialDelay = value;
        }
    }

    /// <summary>Each later wait is the one before times this.</summary>
    /// <value>Default: 2. Must be at least 1.</value>
    public double BackoffMultiplier
    {
        get => _backoffMultiplier;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(BackoffMultiplier));
            _backoffMultiplier = value;
        }
    }

    /// <summary>The longest wait between attempts.</summary>
    /// <value>Default: 10 seconds. Must not be negative.</value>
    public TimeSpan MaxDelay
    {
        get => _maxDelay;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(MaxDelay));
            _maxDelay = value;
        }
    }

    /// <summary>
    /// Which exceptions thrown by the task itself are retried too (for example transient I/O errors).
    /// It sees the exception as the caller would: the rebuilt type, or <see cref="RemoteTaskException"/>.
    /// </summary>
    /// <value>Default: <see langword="null"/>: the task's own exceptions are not retried.</value>
    public Func<Exception, bool>? RetryOnException { get; set; }

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 for the first retry).</summary>
    internal TimeSpan DelayBefore(int attempt)
    {
        double ticks = _initialDelay.Ticks * Math.Pow(_backoffMultiplier, Math.Max(0, attempt - 2));
        return ticks >= _maxDelay.Ticks ? _maxDelay : TimeSpan.FromTicks((long)ticks);
    }
}

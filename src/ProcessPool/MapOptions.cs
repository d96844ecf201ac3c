namespace ProcessPool;

/// <summary>Settings of one Map call.</summary>
public sealed class MapOptions
{
    private int _chunkSize;
    private int _maxInFlight;
    private TimeSpan? _timeout;
    private TimeSpan? _taskTimeout;
    private CancellationMode? _cancellationMode;

    /// <summary>
    /// The most items that travel to a worker in one message. 0 chooses automatically from the measured
    /// cost of the items: small chunks for slow items, large ones for tiny items. Either way a chunk
    /// goes early, with the items it has, when the source has no next item ready (an asynchronous
    /// source still waiting, a synchronous one blocked in MoveNext for a couple of milliseconds), so a
    /// slow source adds no latency; a source whose items are ready fills whole chunks.
    /// </summary>
    /// <value>Default: 0 (automatic). Must not be negative.</value>
    public int ChunkSize
    {
        get => _chunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(ChunkSize));
            _chunkSize = value;
        }
    }

    /// <summary>
    /// The most items read from the source but not yet handed to the consumer. Map never reads the
    /// source further ahead than this. 0 chooses automatically from the worker count and chunk size.
    /// </summary>
    /// <value>Default: 0 (automatic). Must not be negative.</value>
    public int MaxInFlight
    {
        get => _maxInFlight;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MaxInFlight));
            _maxInFlight = value;
        }
    }

    /// <summary>
    /// One deadline for the whole map, counted from the Map call, as in Python. When it passes, the
    /// enumeration throws <see cref="TimeoutException"/> and what has not finished is cancelled.
    /// </summary>
    /// <value>Default: <see langword="null"/> (no deadline). When set, must be positive.</value>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set
        {
            if (value is { } v && v != System.Threading.Timeout.InfiniteTimeSpan)
            {
                ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(v, TimeSpan.Zero, nameof(Timeout));
            }

            _timeout = value;
        }
    }

    /// <summary>
    /// The longest each item may run, counted from when it starts in a worker; see
    /// <see cref="TaskOptions.Timeout"/>. An item that times out fails with <see cref="TaskTimeoutException"/>,
    /// thrown when its turn comes. With a task timeout and an automatic <see cref="ChunkSize"/>, items
    /// travel one per message, so one slow item cannot take others down with it. With an explicit
    /// <see cref="ChunkSize"/> above 1, a chunk of n items gets n times the timeout, and a chunk that
    /// runs out fails as a whole.
    /// </summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.TaskTimeout"/>. When set, must be positive or <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan? TaskTimeout
    {
        get => _taskTimeout;
        set => _taskTimeout = Validate.TimeoutOrInfinite(value, nameof(TaskTimeout));
    }

    /// <summary>
    /// What cancelling the map does to the items already running in workers: its token, leaving the
    /// loop early, a failed item and the deadline all cancel what has not finished.
    /// <see cref="ProcessPool.CancellationMode.Kill"/> kills the workers of items still running
    /// <see cref="ProcessPoolOptions.KillGracePeriod"/> later, for functions that ignore their token.
    /// </summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.CancellationMode"/>. When set, must be a value <see cref="ProcessPool.CancellationMode"/> defines.</value>
    public CancellationMode? CancellationMode
    {
        get => _cancellationMode;
        set => _cancellationMode = value is { } mode ? Validate.Defined(mode, nameof(CancellationMode)) : null;
    }

    /// <summary>Re-runs a chunk whose worker died under it; see <see cref="ProcessPool.RetryPolicy"/>.</summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="ProcessPoolOptions.RetryPolicy"/>.</value>
    public RetryPolicy? RetryPolicy { get; set; }
}

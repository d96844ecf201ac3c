namespace ProcessPool;

/// <summary>Settings of a <see cref="ProcessPoolExecutor"/>. Values are copied when the executor is built.</summary>
public sealed class ProcessPoolOptions
{
    private int _maxWorkers = Environment.ProcessorCount;
    private int _minWorkers;
    private int? _maxTasksPerWorker;
    private TimeSpan _workerStartTimeout = TimeSpan.FromSeconds(30);
    private TimeSpan? _taskTimeout;
    private TimeSpan _killGracePeriod = TimeSpan.FromSeconds(2);
    private long? _maxWorkerMemory;
    private long? _workerMemoryLimit;
    private TimeSpan? _workerIdleTimeout;
    private int? _maxQueuedTasks;
    private CancellationMode _cancellationMode = CancellationMode.Signal;

    /// <summary>The most worker processes the pool runs at once.</summary>
    /// <value>Default: <see cref="Environment.ProcessorCount"/>. Must be at least 1.</value>
    public int MaxWorkers
    {
        get => _maxWorkers;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxWorkers));
            _maxWorkers = value;
        }
    }

    /// <summary>
    /// Workers the pool starts when it is created, without waiting for them, so that the start-up is paid
    /// before the first task instead of by it; <see cref="WorkerIdleTimeout"/> retires only workers beyond
    /// these. A worker that exits is replaced as any is (after a crash, or when recycled); one that cannot
    /// start at creation is started again on demand. To wait until workers are ready, call
    /// <see cref="ProcessPoolExecutor.StartAsync"/>.
    /// </summary>
    /// <value>Default: 0 (workers start on demand). Must be between 0 and <see cref="MaxWorkers"/>.</value>
    public int MinWorkers
    {
        get => _minWorkers;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(MinWorkers));
            _minWorkers = value;
        }
    }

    /// <summary>
    /// Recycle a worker after it has run this many tasks (a Map chunk counts as one task), like Python's
    /// <c>max_tasks_per_child</c>. <see langword="null"/> keeps workers for the life of the pool.
    /// </summary>
    /// <value>Default: <see langword="null"/>. When set, must be at least 1.</value>
    public int? MaxTasksPerWorker
    {
        get => _maxTasksPerWorker;
        set => _maxTasksPerWorker = Validate.Positive(value, nameof(MaxTasksPerWorker));
    }

    /// <summary>
    /// Runs once in each worker before its first task, shipped like any function (a capturing lambda's
    /// state travels with it). If it throws, the pool's pending and later tasks fail with
    /// <see cref="WorkerInitializationException"/>.
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public Action? Initializer { get; set; }

    /// <summary>
    /// Variables added to the environment each worker inherits from this process; a <see langword="null"/>
    /// value removes the variable.
    /// </summary>
    public IDictionary<string, string?> EnvironmentVariables { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>The working directory of the workers.</summary>
    /// <value>Default: <see langword="null"/>, this process's current directory.</value>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// How long a worker may take from process start to a completed handshake. The initializer, being
    /// user code, is not bounded by it.
    /// </summary>
    /// <value>Default: 30 seconds. Must be positive.</value>
    public TimeSpan WorkerStartTimeout
    {
        get => _workerStartTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, nameof(WorkerStartTimeout));
            _workerStartTimeout = value;
        }
    }

    /// <summary>
    /// Where the workers' standard output and error lines go, each prefixed with <c>[worker N]</c>.
    /// </summary>
    /// <value>Default: <see langword="null"/>, meaning <see cref="Console.Error"/> at the time of writing.</value>
    public TextWriter? WorkerOutput { get; set; }

    /// <summary>
    /// The default <see cref="TaskOptions.Timeout"/> of every task and Map item: the longest one may run,
    /// counted from when it starts in a worker. See <see cref="TaskOptions.Timeout"/> for what happens then.
    /// </summary>
    /// <value>Default: <see langword="null"/> (no limit). When set, must be positive or <see cref="Timeout.InfiniteTimeSpan"/>.</value>
    public TimeSpan? TaskTimeout
    {
        get => _taskTimeout;
        set => _taskTimeout = Validate.TimeoutOrInfinite(value, nameof(TaskTimeout));
    }

    /// <summary>
    /// The default <see cref="TaskOptions.KillGracePeriod"/>: how long a timed-out or kill-cancelled task
    /// may take to end on its own before its worker is killed. Shutdown uses it too, between cancelling
    /// running tasks and killing their workers.
    /// </summary>
    /// <value>Default: 2 seconds. Must not be negative.</value>
    public TimeSpan KillGracePeriod
    {
        get => _killGracePeriod;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, nameof(KillGracePeriod));
            _killGracePeriod = value;
        }
    }

    /// <summary>
    /// Recycle a worker whose resident memory (RSS) exceeds this many bytes after a task: it takes no more
    /// work and leaves once idle, and a replacement starts. For leaky libraries. Read from
    /// <c>/proc</c> on Linux after each reply, so it costs a few microseconds per task when set.
    /// </summary>
    /// <value>Default: <see langword="null"/> (no limit). When set, must be positive.</value>
    public long? MaxWorkerMemory
    {
        get => _maxWorkerMemory;
        set => _maxWorkerMemory = Validate.Positive(value, nameof(MaxWorkerMemory));
    }

    /// <summary>
    /// A hard cap on a busy worker's resident memory (RSS), in bytes: the pool samples it every 50 ms
    /// while the worker has work, and kills a worker above the cap. Its running task fails with
    /// <see cref="WorkerCrashedException"/> saying so (a <see cref="RetryPolicy"/> may run it again), the
    /// tasks queued behind it go to other workers, and a replacement starts. This protects the machine
    /// from a task that allocates without bound; <see cref="MaxWorkerMemory"/> recycles gently instead.
    /// </summary>
    /// <value>Default: <see langword="null"/> (no cap). When set, must be positive.</value>
    public long? WorkerMemoryLimit
    {
        get => _workerMemoryLimit;
        set => _workerMemoryLimit = Validate.Positive(value, nameof(WorkerMemoryLimit));
    }

    /// <summary>
    /// A worker left without work this long exits; the pool can shrink to no workers and starts them
    /// again on demand.
    /// </summary>
    /// <value>Default: <see langword="null"/> (workers stay for the life of the pool). When set, must be positive.</value>
    public TimeSpan? WorkerIdleTimeout
    {
        get => _workerIdleTimeout;
        set => _workerIdleTimeout = Validate.TimeoutOrInfinite(value, nameof(WorkerIdleTimeout));
    }

    /// <summary>
    /// The default <see cref="TaskOptions.CancellationMode"/> of tasks and <see cref="MapOptions.CancellationMode"/>
    /// of maps: what cancelling a task that is already running does. <see cref="CancellationMode.Kill"/>
    /// suits pools whose work may ignore its token (a web app whose aborted requests must not keep
    /// workers busy): the worker of a cancelled task still running after <see cref="KillGracePeriod"/>
    /// is killed and replaced, so the next task does not wait for it.
    /// </summary>
    /// <value>Default: <see cref="CancellationMode.Signal"/>. Must be a value <see cref="ProcessPool.CancellationMode"/> defines.</value>
    public CancellationMode CancellationMode
    {
        get => _cancellationMode;
        set => _cancellationMode = Validate.Defined(value, nameof(CancellationMode));
    }

    /// <summary>The default <see cref="TaskOptions.RetryPolicy"/> of tasks and Map chunks.</summary>
    /// <value>Default: <see langword="null"/>: a task whose worker dies fails with <see cref="WorkerCrashedException"/>.</value>
    public RetryPolicy? RetryPolicy { get; set; }

    /// <summary>
    /// The most tasks (Submits and Map chunks) waiting for a worker. A producer awaits
    /// <see cref="ProcessPoolExecutor.WaitForQueueRoomAsync"/> before each Submit to be held back while
    /// the queue is full. A task submitted regardless waits for room, in order, outside the queue
    /// (holding its serialized arguments); its token withdraws it. Map needs none of this: it never
    /// reads its source more than <see cref="MapOptions.MaxInFlight"/> items ahead.
    /// </summary>
    /// <value>Default: <see langword="null"/> (unbounded). When set, must be at least 1.</value>
    public int? MaxQueuedTasks
    {
        get => _maxQueuedTasks;
        set => _maxQueuedTasks = Validate.Positive(value, nameof(MaxQueuedTasks));
    }

    /// <summary>
    /// Types, besides those a function declares, that may be read from a payload where the declared type
    /// is <see cref="object"/>, an interface or an abstract class. Anything else is refused with
    /// <see cref="PayloadSerializationException"/>, so a payload cannot make the parent or a worker
    /// build a type nobody declared.
    /// </summary>
    public ISet<Type> AllowedTypes { get; } = new HashSet<Type>();

    /// <summary>
    /// Whether the first Ctrl-C (SIGINT) of a console app cancels the pool's work: queued tasks end
    /// cancelled, running ones have their token signalled and their workers are killed after
    /// <see cref="KillGracePeriod"/>, and the pool shuts down. If the pool had work, the app is kept
    /// alive to handle the cancellations; a second Ctrl-C, or the first on an idle pool, ends the app
    /// as usual. Workers ignore Ctrl-C themselves, so the parent decides.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool CancelOnCtrlC { get; set; } = true;

    /// <summary>
    /// Whether the processes a worker's tasks start, and the processes those start, are killed when the
    /// worker exits or is killed, however that happens: shutdown, recycling, <see cref="WorkerIdleTimeout"/>,
    /// a crash, a timeout, a kill, or the death of this process. A task that starts <c>sleep 300</c> and
    /// returns leaves no process behind once the pool is disposed.
    /// </summary>
    /// <remarks>
    /// On Linux each worker leads a process group of its own, which its descendants join and keep when
    /// their own parent exits. The pool SIGKILLs that group when it sees the worker exit; a worker whose
    /// parent died kills it on its way out. A descendant that leaves the group (a daemon calling
    /// <c>setsid</c>) is still killed with the worker's process tree while it hangs below the worker
    /// (timeouts, kills), not after the worker has exited. Since workers are
    /// not in the terminal's foreground group, a descendant that reads the terminal itself
    /// (<c>/dev/tty</c>, a password prompt) is stopped as a background job would be. Turn this off for
    /// tasks that start processes meant to outlive their worker; those processes are then left alone,
    /// except by the kills that end a worker's whole tree (timeouts, <see cref="CancellationMode.Kill"/>,
    /// <see cref="ProcessPoolExecutor.KillWorkers"/>), as before. On other systems the kills of the
    /// process tree are all there is.
    /// </remarks>
    /// <value>Default: <see langword="true"/>.</value>
    public bool KillWorkerDescendants { get; set; } = true;

    /// <summary>
    /// The clock behind every deadline the pool keeps: task and map timeouts, kill grace periods, retry
    /// back-offs, idle timeouts, worker start timeouts and shutdown escalation, and the timers of its
    /// housekeeping (moving calls from behind a long call to an idle worker, sampling memory for
    /// <see cref="WorkerMemoryLimit"/>). Tests can pass a fake one (<c>FakeTimeProvider</c> from
    /// Microsoft.Extensions.TimeProvider.Testing) and advance it to make a timeout fire without waiting
    /// for it; the workers themselves keep real time.
    /// </summary>
    /// <remarks>
    /// A clock that does not move stops all of the above: a worker that ignores the request to leave is
    /// killed only once the clock has passed the exit grace period (5 s), so a test that disposes a pool
    /// on a fake clock may have to advance it.
    /// </remarks>
    /// <value>Default: <see cref="TimeProvider.System"/>.</value>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public TimeProvider TimeProvider
    {
        get => _timeProvider;
        set => _timeProvider = value ?? throw new ArgumentNullException(nameof(value));
    }

    private TimeProvider _timeProvider = TimeProvider.System;

    internal ProcessPoolOptions Clone()
    {
        if (WorkingDirectory is { } dir && !Directory.Exists(dir))
        {
            throw new ArgumentException($"The working directory '{dir}' does not exist.", nameof(WorkingDirectory));
        }

        if (_minWorkers > _maxWorkers)
        {
            throw new ArgumentException($"MinWorkers ({_minWorkers}) cannot be more than MaxWorkers ({_maxWorkers}).", nameof(MinWorkers));
        }

        var copy = new ProcessPoolOptions
        {
            _maxWorkers = _maxWorkers,
            _minWorkers = _minWorkers,
            _maxTasksPerWorker = _maxTasksPerWorker,
            _workerStartTimeout = _workerStartTimeout,
            _taskTimeout = _taskTimeout,
            _killGracePeriod = _killGracePeriod,
            _maxWorkerMemory = _maxWorkerMemory,
            _workerMemoryLimit = _workerMemoryLimit,
            _workerIdleTimeout = _workerIdleTimeout,
            _maxQueuedTasks = _maxQueuedTasks,
            _cancellationMode = _cancellationMode,
            RetryPolicy = RetryPolicy,
            CancelOnCtrlC = CancelOnCtrlC,
            KillWorkerDescendants = KillWorkerDescendants,
            Initializer = Initializer,
            WorkingDirectory = WorkingDirectory,
            WorkerOutput = WorkerOutput,
            _timeProvider = _timeProvider,
        };
        foreach (var (name, value) in EnvironmentVariables)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not a valid environment variable name.", nameof(EnvironmentVariables));
            }

            copy.EnvironmentVariables[name] = value;
        }

        foreach (var type in AllowedTypes)
        {
            if (type is null || !Validate.CanBeNamedInPayload(type))
            {
                throw new ArgumentException($"AllowedTypes may hold only concrete, closed types; '{type?.ToString() ?? "null"}' is not one.", nameof(AllowedTypes));
            }

            copy.AllowedTypes.Add(type);
        }

        return copy;
    }
}

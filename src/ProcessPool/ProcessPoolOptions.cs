namespace ProcessPool;

/// <summary>Settings of a <see cref="ProcessPoolExecutor"/>. Values are copied when the executor is built.</summary>
public sealed class ProcessPoolOptions
{
    private int _maxWorkers = Environment.ProcessorCount;
    private int? _maxTasksPerWorker;
    private TimeSpan _workerStartTimeout = TimeSpan.FromSeconds(30);

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
    /// Recycle a worker after it has run this many tasks (a Map chunk counts as one task), like Python's
    /// <c>max_tasks_per_child</c>. <see langword="null"/> keeps workers for the life of the pool.
    /// </summary>
    /// <value>Default: <see langword="null"/>. When set, must be at least 1.</value>
    public int? MaxTasksPerWorker
    {
        get => _maxTasksPerWorker;
        set
        {
            if (value is { } v)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(v, 1, nameof(MaxTasksPerWorker));
            }

            _maxTasksPerWorker = value;
        }
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

    internal ProcessPoolOptions Clone()
    {
        if (WorkingDirectory is { } dir && !Directory.Exists(dir))
        {
            throw new ArgumentException($"The working directory '{dir}' does not exist.", nameof(WorkingDirectory));
        }

        var copy = new ProcessPoolOptions
        {
            _maxWorkers = _maxWorkers,
            _maxTasksPerWorker = _maxTasksPerWorker,
            _workerStartTimeout = _workerStartTimeout,
            Initializer = Initializer,
            WorkingDirectory = WorkingDirectory,
            WorkerOutput = WorkerOutput,
        };
        foreach (var (name, value) in EnvironmentVariables)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{name}' is not a valid environment variable name.", nameof(EnvironmentVariables));
            }

            copy.EnvironmentVariables[name] = value;
        }

        return copy;
    }
}

using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Workers;

namespace ProcessPool;

/// <summary>
/// Runs delegates in a pool of worker processes and returns their results as tasks: the .NET
/// counterpart of Python's <c>concurrent.futures.ProcessPoolExecutor</c>.
/// </summary>
/// <remarks>
/// Workers start on demand, up to <see cref="ProcessPoolOptions.MaxWorkers"/>, each a <c>dotnet</c>
/// process that loads the same assemblies as this one. A worker that dies fails only the task it was
/// running, with <see cref="WorkerCrashedException"/>; the pool replaces it and every other task still
/// completes. No worker outlives this process.
/// <code>
/// await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
/// int square = await pool.SubmitAsync(Maths.Square, 7);
/// await foreach (var r in pool.MapAsync(Maths.Square, Enumerable.Range(0, 1000))) { }
/// </code>
/// </remarks>
public sealed partial class ProcessPoolExecutor : IExecutor, IDisposable
{
    private readonly ProcessPoolOptions _options;
    private readonly Scheduler _scheduler;
    private readonly CallPolicy _policy;

    /// <summary>
    /// Creates a pool. Workers start on demand, except <see cref="ProcessPoolOptions.MinWorkers"/>, which start now
    /// (without waiting for them: <see cref="StartAsync"/> waits).
    /// </summary>
    /// <param name="options">The pool's settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentException">An option is invalid (for example a missing working directory).</exception>
    /// <exception cref="PayloadSerializationException">The initializer captures state that cannot be serialized.</exception>
    public ProcessPoolExecutor(ProcessPoolOptions? options = null)
    {
        _options = (options ?? new ProcessPoolOptions()).Clone();
        WorkerHost.LargeObjectReserve.ThrowIfInvalid(_options.EnvironmentVariables); // a setting the workers would ignore
        var endpoint = new WorkerEndpoint();
        var payload = new Serialization.PayloadContext(_options.AllowedTypes, endpoint.Segments); // this pool's serialization settings
        PreparedCall? initializer;
        try
        {
            initializer = _options.Initializer is { } init ? CallPreparer.PrepareTarget(init, payload) : null;
        }
        catch
        {
            endpoint.Dispose(); // an initializer that cannot travel: no pool, no directory
            throw;
        }

        _scheduler = new Scheduler(_options, new WorkerLauncher(_options, endpoint, initializer, _options.TimeProvider), _options.TimeProvider);
        _policy = CallPolicy.ForPool(_options, payload);
    }

    /// <summary>
    /// Starts every worker (up to <see cref="ProcessPoolOptions.MaxWorkers"/>) now rather than on demand, as
    /// Python's <c>multiprocessing.Pool</c> does, and completes when all of them are ready to run tasks:
    /// connected, initialized (<see cref="ProcessPoolOptions.Initializer"/>) and warmed up. An app or a host
    /// awaits it before taking requests, so that no request pays the workers' start-up.
    /// <code>
    /// await using var pool = new ProcessPoolExecutor();
    /// await pool.StartAsync(); // e.g. in IHostedService.StartAsync
    /// </code>
    /// Calling it again, or with workers already running, starts only the missing ones.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the workers go on starting.</param>
    /// <exception cref="WorkerStartException">A worker could not start. The pool goes on: later tasks try again.</exception>
    /// <exception cref="WorkerInitializationException">The pool's initializer failed: the pool is broken.</exception>
    /// <exception cref="ObjectDisposedException">The pool is shut down, or shuts down before its workers are ready.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default) => _scheduler.StartAsync(_options.MaxWorkers, cancellationToken);

    /// <summary>The most worker processes this pool runs at once.</summary>
    public int MaxWorkers => _options.MaxWorkers;

    /// <summary>The pool's private directory: worker sockets and shared-memory arrays.</summary>
    internal string WorkDirectory => _scheduler.SegmentDirectory;

    /// <summary>Tasks (Submits and Map chunks) waiting for a worker, at this moment.</summary>
    public int QueuedTasks => _scheduler.Counts.Queued;

    /// <summary>
    /// Tasks waiting for room in the queue because it holds <see cref="ProcessPoolOptions.MaxQueuedTasks"/>
    /// already, at this moment.
    /// </summary>
    public int TasksWaitingForRoom => _scheduler.Counts.WaitingForRoom;

    /// <summary>
    /// Waits until the queue has room for another task (<see cref="ProcessPoolOptions.MaxQueuedTasks"/>):
    /// the back-pressure for a producer that submits in a loop without awaiting each task.
    /// Completes at once when the pool has no bound or the queue has room; producers waiting together
    /// are let go in order, one per free place.
    /// <code>
    /// foreach (var item in items)
    /// {
    ///     await pool.WaitForQueueRoomAsync(cancellationToken);
    ///     tasks.Add(pool.SubmitAsync(Work, item, cancellationToken));
    /// }
    /// </code>
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="ObjectDisposedException">The pool is shut down, or shuts down while this waits.</exception>
    public Task WaitForQueueRoomAsync(CancellationToken cancellationToken = default) => _scheduler.WaitForRoomAsync(cancellationToken);

    /// <summary>A snapshot of the live workers.</summary>
    public IReadOnlyList<WorkerInfo> Workers => _scheduler.Workers;

    /// <summary>
    /// A pool dropped without being disposed shuts down like <c>ShutdownAsync(wait: false)</c> when it is
    /// collected, as Python's executor does: submitted work still completes, then the workers exit.
    /// </summary>
    ~ProcessPoolExecutor() => _scheduler?.ShutdownAsync(cancelPending: false); // null when the constructor threw

    /// <inheritdoc/>
    public Task ShutdownAsync(bool wait = true, bool cancelPending = false)
    {
        var closed = _scheduler.ShutdownAsync(cancelPending);
        return wait ? closed : Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task ShutdownAsync(TimeSpan timeout, bool cancelPending = false)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(timeout));
        }

        return _scheduler.ShutdownAsync(cancelPending, timeout);
    }

    /// <summary>
    /// Kills every worker at once with SIGKILL and shuts the pool down, like Python 3.14's
    /// <c>kill_workers()</c>. Queued and running tasks end cancelled. <see cref="ShutdownAsync(bool, bool)"/>
    /// then completes when the workers are gone.
    /// </summary>
    public void KillWorkers()
    {
        _ = _scheduler.Abort(AbortMode.Kill);
    }

    /// <summary>
    /// Asks every worker to exit with SIGTERM and shuts the pool down, like Python 3.14's
    /// <c>terminate_workers()</c>; workers still there after <see cref="ProcessPoolOptions.KillGracePeriod"/>
    /// are killed. Queued and running tasks end cancelled.
    /// </summary>
    public void TerminateWorkers()
    {
        _ = _scheduler.Abort(AbortMode.Terminate);
    }

    /// <summary>Shuts the pool down, waiting for submitted work to finish and for the workers to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        await ShutdownAsync(wait: true).ConfigureAwait(false);
    }

    /// <summary>Shuts the pool down, blocking until submitted work has finished and the workers have exited.</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        ShutdownAsync(wait: true).GetAwaiter().GetResult();
    }
}

namespace ProcessPool.Workers;

/// <summary>
/// Starts workers for a scheduler. The real one (<see cref="WorkerLauncher"/>) starts processes;
/// tests give the scheduler fakes that start in microseconds.
/// </summary>
internal interface IWorkerFactory : IDisposable
{
    /// <summary>Where large arrays of this pool's calls go (see <see cref="Serialization.SharedMemory"/>).</summary>
    string SegmentDirectory { get; }

    /// <summary>Starts worker <paramref name="workerId"/>, which reports to <paramref name="events"/> once started.</summary>
    Task<IWorker> StartAsync(int workerId, IWorkerEvents events);

    /// <summary>Kills the workers still starting (for example stuck in the initializer), so shutdown can finish.</summary>
    void KillStarting();
}

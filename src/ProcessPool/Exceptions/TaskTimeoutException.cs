namespace ProcessPool;

/// <summary>
/// A task ran longer than its timeout (<see cref="TaskOptions.Timeout"/>, <see cref="MapOptions.TaskTimeout"/>
/// or <see cref="ProcessPoolOptions.TaskTimeout"/>), counted from when it started in its worker.
/// </summary>
public sealed class TaskTimeoutException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public TaskTimeoutException(TimeSpan timeout, int workerId, int processId, bool workerKilled)
        : base(Describe(timeout, workerId, processId, workerKilled))
    {
        Timeout = timeout;
        WorkerId = workerId;
        ProcessId = processId;
        WorkerKilled = workerKilled;
    }

    /// <summary>The timeout the task exceeded.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The pool's number for the worker that ran the task.</summary>
    public int WorkerId { get; }

    /// <summary>The operating-system process id of the worker that ran the task.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Whether the worker was killed because the task was still running after the grace period;
    /// <see langword="false"/> when the task ended on its own once its token was signalled.
    /// </summary>
    public bool WorkerKilled { get; }

    private static string Describe(TimeSpan timeout, int workerId, int processId, bool killed) =>
        $"The task did not finish within its timeout of {timeout} in worker #{workerId} (pid {processId}); " +
        (killed ? "it ignored its cancellation token, so the worker was killed and replaced." : "its cancellation token was signalled and it stopped.");
}

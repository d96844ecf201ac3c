namespace ProcessPool;

/// <summary>A snapshot of one live worker process.</summary>
/// <param name="WorkerId">The pool's number for the worker, unique within the pool.</param>
/// <param name="ProcessId">The operating-system process id.</param>
/// <param name="StartedAt">When the worker completed its handshake.</param>
/// <param name="TasksCompleted">Tasks (or Map chunks) the worker has finished, successfully or not.</param>
/// <param name="TasksInFlight">Tasks sent to the worker that have not finished yet.</param>
public sealed record WorkerInfo(int WorkerId, int ProcessId, DateTimeOffset StartedAt, long TasksCompleted, int TasksInFlight);

using ProcessPool.Protocol;

namespace ProcessPool.Workers;

/// <summary>
/// One worker as the scheduler sees it: a channel that carries calls out and replies back (through
/// <see cref="IWorkerEvents"/>), and a process that can be asked to leave, killed and reaped. The
/// real one is <see cref="WorkerConnection"/>; tests drive the scheduler with fakes.
/// </summary>
internal interface IWorker : IDisposable
{
    int Id { get; }

    int ProcessId { get; }

    DateTimeOffset StartedAt { get; }

    /// <summary>How messages and errors name it: "worker #3 (pid 1234)".</summary>
    string Name { get; }

    /// <summary>
    /// The worker's report of an exception no code caught outside its calls, if it came just before
    /// the worker's end (see <see cref="UnhandledMessage"/>). Read when the disconnection is reported.
    /// </summary>
    UnhandledMessage? Unhandled { get; }

    /// <summary>Starts reading replies and writing calls.</summary>
    void Start();

    /// <summary>
    /// Queues a call; false if the channel is already down. The caller must <see cref="Flush"/> once it
    /// has left the scheduler's lock.
    /// </summary>
    bool Send(in InvokeRequest call);

    /// <summary>Writes what <see cref="Send"/> queued (on this thread, or hands it to a writer thread).</summary>
    void Flush();

    /// <summary>Asks the worker to signal the call's token (or drop it, if it has not started).</summary>
    void SendCancel(long callId);

    /// <summary>Asks the worker to drop the call if it has not started; it answers Canceled if it did.</summary>
    void SendWithdraw(long callId);

    /// <summary>Asks the worker to leave once its calls are done.</summary>
    void SendShutdown();

    /// <summary>Ends the process (and anything it started) without waiting for its work.</summary>
    void Kill();

    /// <summary>Asks the process to end (SIGTERM): .NET runs its exit handlers and leaves.</summary>
    void Terminate();

    /// <summary>The process's resident memory in bytes (0 where it cannot be read).</summary>
    long ResidentBytes();

    /// <summary>
    /// After the channel closed: waits (bounded) for the process to exit, killing it first with
    /// <paramref name="killFirst"/> or if it lingers, and returns how it ended.
    /// </summary>
    WorkerExit Reap(bool killFirst);

    /// <summary>Adds a line to the worker's standard error as the app sees it (a note from the pool).</summary>
    void WriteError(string line);
}

/// <summary>How a worker process ended: its exit code or the signal that ended it, and its last words on standard error.</summary>
internal readonly record struct WorkerExit(int? ExitCode, int? Signal, string StandardErrorTail);

/// <summary>A call as the worker channel sends it: the scheduler's id, the function, and the serialized payload.</summary>
internal readonly record struct InvokeRequest(long CallId, int FunctionId, FunctionDefinition Definition, int ItemCount, ReadOnlyMemory<byte> Payload);

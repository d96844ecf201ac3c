namespace ProcessPool;

/// <summary>
/// The worker process that was running a task died before the task finished
/// (for example through <see cref="Environment.FailFast(string)"/>, a stack overflow,
/// <c>kill -9</c> or <see cref="Environment.Exit(int)"/>). Only the tasks that worker
/// was running fail this way; the pool replaces the worker and goes on.
/// </summary>
public sealed class WorkerCrashedException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public WorkerCrashedException(int workerId, int processId, int? exitCode, int? signal, string standardErrorTail)
        : this(workerId, processId, exitCode, signal, standardErrorTail, cause: null)
    {
    }

    /// <summary>Creates the exception, saying why the pool itself ended the worker.</summary>
    internal WorkerCrashedException(int workerId, int processId, int? exitCode, int? signal, string standardErrorTail, string? cause)
        : base(Describe(workerId, processId, exitCode, signal, standardErrorTail, cause))
    {
        Cause = cause;
        WorkerId = workerId;
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The pool's number for the worker that died.</summary>
    public int WorkerId { get; }

    /// <summary>The operating-system process id of the worker that died.</summary>
    public int ProcessId { get; }

    /// <summary>The exit code of the worker process, or <see langword="null"/> when it was ended by a signal or is unknown.</summary>
    public int? ExitCode { get; }

    /// <summary>The signal that ended the worker (for example 9 for SIGKILL, 6 for SIGABRT), or <see langword="null"/>.</summary>
    public int? Signal { get; }

    /// <summary>The last lines the worker wrote to its standard error, often the runtime's own crash report.</summary>
    public string StandardErrorTail { get; }

    /// <summary>
    /// With a <see cref="RetryPolicy"/>, the failures of the attempts before this one, oldest first
    /// (each a <see cref="WorkerCrashedException"/>, or the task's own exception where the policy retried
    /// it); empty when the task ran once.
    /// </summary>
    public IReadOnlyList<Exception> PreviousAttempts { get; private init; } = [];

    private string? Cause { get; }

    internal WorkerCrashedException WithEarlierAttempts(IReadOnlyList<Exception> earlier) =>
        new(WorkerId, ProcessId, ExitCode, Signal, StandardErrorTail, Cause) { PreviousAttempts = [.. earlier] };

    private static string Describe(int workerId, int processId, int? exitCode, int? signal, string stderrTail, string? cause)
    {
        string how = signal is { } s ? $"was killed by signal {s}{SignalName(s)}"
            : exitCode is { } c ? $"exited with code {c}"
            : "disappeared";
        string message = $"Worker #{workerId} (pid {processId}) {how} while running this task{(cause is null ? "" : ": " + cause)}.";
        return string.IsNullOrWhiteSpace(stderrTail) ? message : $"{message} Last lines of its stderr:{Environment.NewLine}{stderrTail}";
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };
}

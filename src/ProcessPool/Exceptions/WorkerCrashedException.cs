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

    /// <summary>
    /// Creates the exception, saying why the worker ended (the pool killed it, or an exception outside
    /// the task did) and, for the latter, with that exception and the thread that threw it.
    /// </summary>
    internal WorkerCrashedException(int workerId, int processId, int? exitCode, int? signal, string standardErrorTail, string? cause, Exception? unhandledException = null, string? unhandledExceptionThread = null)
        : base(Describe(workerId, processId, exitCode, signal, standardErrorTail, cause))
    {
        Cause = cause;
        WorkerId = workerId;
        ProcessId = processId;
        ExitCode = exitCode;
        Signal = signal;
        StandardErrorTail = standardErrorTail;
        UnhandledException = unhandledException;
        UnhandledExceptionThread = unhandledExceptionThread;
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
    /// The exception that ended the worker from outside the task: thrown and not caught on another
    /// thread than the task's (the finalizer thread, a thread or timer callback something started, an
    /// async void method). Rebuilt like a task's exception (its type where the parent can load it, else
    /// <see cref="RemoteTaskException"/>), with the worker's stack trace. <see langword="null"/> when the
    /// worker died otherwise. The pool does not blame a task for such a crash and runs it again
    /// elsewhere; this exception reaches the task only when workers crashed this way twice while running it.
    /// </summary>
    public Exception? UnhandledException { get; }

    /// <summary>
    /// The thread that threw <see cref="UnhandledException"/>, described with its name and managed thread
    /// id (for example <c>thread 'poller' (managed thread 12)</c> or <c>the finalizer thread (managed thread 2, …)</c>);
    /// <see langword="null"/> without one.
    /// </summary>
    public string? UnhandledExceptionThread { get; }

    /// <summary>
    /// The failures of the attempts before this one, oldest first: with a <see cref="RetryPolicy"/>
    /// (each a <see cref="WorkerCrashedException"/>, or the task's own exception where the policy retried
    /// it), and the earlier crash outside the task when <see cref="UnhandledException"/> is set; empty when
    /// the task ran once.
    /// </summary>
    public IReadOnlyList<Exception> PreviousAttempts { get; private init; } = [];

    private string? Cause { get; }

    internal WorkerCrashedException WithEarlierAttempts(IReadOnlyList<Exception> earlier) =>
        new(WorkerId, ProcessId, ExitCode, Signal, StandardErrorTail, Cause, UnhandledException, UnhandledExceptionThread) { PreviousAttempts = [.. earlier] };

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

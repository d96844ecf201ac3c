namespace ProcessPool;

/// <summary>
/// A task threw an exception in its worker whose type could not be rebuilt in this process.
/// The remote type name, message, stack trace and inner exceptions are kept.
/// </summary>
public sealed class RemoteTaskException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public RemoteTaskException(string remoteTypeName, string message, string? remoteStackTrace, Exception? innerException = null)
        : this(remoteTypeName, message, remoteStackTrace, innerException is null ? [] : [innerException])
    {
    }

    /// <summary>Creates the exception with every inner exception the remote one had (all of an aggregate's).</summary>
    public RemoteTaskException(string remoteTypeName, string message, string? remoteStackTrace, IReadOnlyList<Exception> innerExceptions)
        : base($"{remoteTypeName}: {message}", innerExceptions is { Count: > 0 } ? innerExceptions[0] : null)
    {
        ArgumentNullException.ThrowIfNull(innerExceptions);
        RemoteTypeName = remoteTypeName;
        RemoteMessage = message;
        RemoteStackTrace = remoteStackTrace;
        InnerExceptions = innerExceptions;
    }

    /// <summary>The full name of the exception type thrown in the worker.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The message of the exception thrown in the worker.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace of the exception in the worker, if it had one.</summary>
    public string? RemoteStackTrace { get; }

    /// <summary>The remote exception's inner exceptions: all of them for an aggregate; <see cref="Exception.InnerException"/> is the first.</summary>
    public IReadOnlyList<Exception> InnerExceptions { get; }
}

namespace ProcessPool;

/// <summary>
/// A task threw an exception in its worker whose type could not be rebuilt in this process.
/// The remote type name, message and stack trace are kept.
/// </summary>
public sealed class RemoteTaskException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public RemoteTaskException(string remoteTypeName, string message, string? remoteStackTrace, Exception? innerException = null)
        : base($"{remoteTypeName}: {message}", innerException)
    {
        RemoteTypeName = remoteTypeName;
        RemoteMessage = message;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>The full name of the exception type thrown in the worker.</summary>
    public string RemoteTypeName { get; }

    /// <summary>The message of the exception thrown in the worker.</summary>
    public string RemoteMessage { get; }

    /// <summary>The stack trace of the exception in the worker, if it had one.</summary>
    public string? RemoteStackTrace { get; }
}

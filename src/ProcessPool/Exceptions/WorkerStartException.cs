namespace ProcessPool;

/// <summary>A worker process could not be started or did not complete its handshake.</summary>
public sealed class WorkerStartException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(string message, Exception? innerException = null) : base(message, innerException) { }
}

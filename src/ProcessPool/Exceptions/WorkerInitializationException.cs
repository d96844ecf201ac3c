namespace ProcessPool;

/// <summary>
/// The pool's <see cref="ProcessPoolOptions.Initializer"/> threw in a worker. The pool is then
/// broken: its pending and later tasks fail with this exception instead of starting worker after
/// worker in a crash loop. <see cref="Exception.InnerException"/> is the error raised in the worker.
/// </summary>
public sealed class WorkerInitializationException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public WorkerInitializationException(string message, Exception? innerException) : base(message, innerException) { }
}

namespace ProcessPool;

/// <summary>Base class of the exceptions that ProcessPool itself raises.</summary>
public abstract class ProcessPoolException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    protected ProcessPoolException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    protected ProcessPoolException(string message, Exception? innerException) : base(message, innerException) { }
}

namespace ProcessPool;

/// <summary>A malformed, truncated or unexpected message arrived on a parent–worker channel.</summary>
public sealed class ProtocolException : ProcessPoolException
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException(string message, Exception? innerException = null) : base(message, innerException) { }

    /// <summary>The channel ended in the middle of a frame: what a peer's death looks like, rather than garbage.</summary>
    internal bool CutShort { get; init; }
}

namespace ProcessPool.Protocol;

/// <summary>
/// The one shape of a decoding failure. Bytes from the other process can make MessagePack throw
/// anything (its own exception, end of data, overflow, out of range, a bad GUID); the channel's
/// owners expect only <see cref="ProtocolException"/>, so each decoder catches the rest and wraps it
/// with this, keeping the original as the inner exception.
/// </summary>
internal static class Malformed
{
    /// <summary>A decoder's failure on <paramref name="what"/> ("a Result message", "a function definition").</summary>
    public static ProtocolException Error(string what, Exception inner) =>
        new($"{what} is malformed: {inner.Message}", inner);
}

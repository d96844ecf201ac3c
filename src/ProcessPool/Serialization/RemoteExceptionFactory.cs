using ProcessPool.Protocol;

namespace ProcessPool.Serialization;

/// <summary>
/// Turns an exception that came back from a worker into one the caller can catch: the same type, with
/// the same state, where this process can rebuild it (so <c>catch (ArgumentException)</c> works and
/// <see cref="ArgumentOutOfRangeException.ActualValue"/> is there), with the remote stack trace attached;
/// otherwise a <see cref="RemoteTaskException"/> naming the remote type. See <see cref="ExceptionState"/>.
/// </summary>
internal static class RemoteExceptionFactory
{
    /// <summary>Rebuilds <paramref name="info"/>, reading values declared as object with the pool's <paramref name="context"/>; never throws.</summary>
    public static Exception Create(ExceptionInfo info, PayloadContext context) => ExceptionState.Rebuild(info, context);

    /// <summary>As <see cref="Create(ExceptionInfo, PayloadContext)"/>, for callers holding only the pool's allowed types (a rare path: a crash, a failed initializer).</summary>
    public static Exception Create(ExceptionInfo info, ISet<Type> allowedTypes) => Create(info, new PayloadContext(allowedTypes, segments: null));
}

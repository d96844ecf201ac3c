using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>
/// Serializes a call on the caller's thread, so that anything that cannot travel to a worker fails
/// the Submit call itself, before anything is queued or sent.
/// </summary>
internal static class CallPreparer
{
    [ThreadStatic]
    private static FrameBuffer? t_buffer;

    /// <summary>
    /// Serializes the function's target and the arguments. Large arrays go to files in
    /// <paramref name="segmentDirectory"/> (see <see cref="SharedMemory"/>); null keeps everything inline.
    /// </summary>
    public static PreparedCall Prepare<TArgs>(Delegate function, in TArgs arguments, string? segmentDirectory)
        where TArgs : struct, IArgumentWriter
    {
        var descriptor = FunctionDescriptor.For(function);
        var buffer = t_buffer ??= new FrameBuffer();
        buffer.Clear();
        using var scope = SharedMemory.Enter(segmentDirectory, "a"); // null: inline, whatever an outer scope says
        try
        {
            var writer = new MessagePackWriter(buffer);
            descriptor.WriteTarget(ref writer, function.Target);
            arguments.Write(ref writer);
            writer.Flush();
            return new PreparedCall(descriptor, PreparedCall.Check(buffer.WrittenSpan, "arguments and captured state"))
            {
                Segments = scope.Created.Count > 0 ? [.. scope.Created] : [],
            };
        }
        catch when (scope.Created.Count > 0)
        {
            scope.Created.ForEach(SharedMemory.Delete);
            throw;
        }
    }

    /// <summary>
    /// Serializes only the target, for Map: it is the same for every chunk, so it stays inline (a
    /// chunk's end must not delete what the next chunk still refers to).
    /// </summary>
    public static PreparedCall PrepareTarget(Delegate function) => Prepare(function, default(NoArguments), segmentDirectory: null);
}

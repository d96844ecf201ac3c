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
    // A cache, not a setting: the frame is copied out before Prepare returns.
    [ThreadStatic]
    private static FrameBuffer? t_buffer;

    /// <summary>
    /// Serializes the function's target and the arguments with the pool's <paramref name="context"/>.
    /// Large arrays go to files in its segment directory (see <see cref="SharedMemory"/>).
    /// </summary>
    public static PreparedCall Prepare<TArgs>(Delegate function, in TArgs arguments, PayloadContext context)
        where TArgs : struct, IArgumentWriter =>
        Prepare(function, arguments, context.BeginWrite(SegmentNames.Argument));

    /// <summary>
    /// Serializes only the target (Map's function, a pool's initializer): it is sent again and again,
    /// so it stays inline (a chunk's end must not delete what the next chunk still refers to).
    /// </summary>
    public static PreparedCall PrepareTarget(Delegate function, PayloadContext context) =>
        Prepare(function, default(NoArguments), context.BeginWrite(segmentPrefix: null));

    private static PreparedCall Prepare<TArgs>(Delegate function, in TArgs arguments, PayloadOptions options)
        where TArgs : struct, IArgumentWriter
    {
        var descriptor = FunctionDescriptor.For(function);
        var buffer = t_buffer ??= new FrameBuffer();
        buffer.Clear();
        var segments = options.Writing;
        try
        {
            var writer = new MessagePackWriter(buffer);
            descriptor.WriteTarget(ref writer, function.Target, options);
            arguments.Write(ref writer, options);
            writer.Flush();
            return new PreparedCall(descriptor, PreparedCall.Check(buffer.WrittenSpan, "arguments and captured state"))
            {
                Segments = segments.TakeCreated(),
            };
        }
        catch when (segments.Created.Count > 0)
        {
            segments.DeleteCreated();
            throw;
        }
    }
}

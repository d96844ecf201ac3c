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

    // A cache too: the last pool's options for writing arguments, reset for each call, so a Submit
    // allocates no options of its own. Never two writes at once: a nested Prepare gets fresh ones.
    [ThreadStatic]
    private static PayloadOptions? t_argumentOptions;

    /// <summary>
    /// Serializes the function's target and the arguments with the pool's <paramref name="context"/>.
    /// Large arrays go to shared memory (see <see cref="SharedMemory"/>).
    /// </summary>
    public static PreparedCall Prepare<TArgs>(Delegate function, in TArgs arguments, PayloadContext context)
        where TArgs : struct, IArgumentWriter
    {
        var options = t_argumentOptions is { } cached && cached.Context == context ? cached : context.BeginWrite(sharedMemory: true);
        t_argumentOptions = null; // in use: a nested Prepare on this thread does not share it
        options.Writing.Reset();
        var prepared = Prepare(function, arguments, options);
        t_argumentOptions = options;
        return prepared;
    }

    /// <summary>
    /// Serializes only the target (Map's function, a pool's initializer): it is sent again and again,
    /// so it stays inline (a chunk's end must not delete what the next chunk still refers to).
    /// </summary>
    public static PreparedCall PrepareTarget(Delegate function, PayloadContext context) =>
        Prepare(function, default(NoArguments), context.BeginWrite(sharedMemory: false));

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

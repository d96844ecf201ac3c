using MessagePack;
using ProcessPool.Protocol;

namespace ProcessPool.Invocation;

/// <summary>
/// Serializes a call on the caller's thread, so that anything that cannot travel to a worker fails
/// the Submit call itself, before anything is queued or sent.
/// </summary>
internal static class CallPreparer
{
    [ThreadStatic]
    private static FrameBuffer? t_buffer;

    public static PreparedCall Prepare<TArgs>(Delegate function, in TArgs arguments)
        where TArgs : struct, IArgumentWriter
    {
        var descriptor = FunctionDescriptor.For(function);
        var buffer = t_buffer ??= new FrameBuffer();
        buffer.Clear();
        var writer = new MessagePackWriter(buffer);
        descriptor.WriteTarget(ref writer, function.Target);
        arguments.Write(ref writer);
        writer.Flush();
        return new PreparedCall(descriptor, PreparedCall.Check(buffer.WrittenSpan, "arguments and captured state"));
    }

    /// <summary>Serializes only the target, for Map: it is the same for every chunk.</summary>
    public static PreparedCall PrepareTarget(Delegate function) => Prepare(function, default(NoArguments));
}

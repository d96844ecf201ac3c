using MessagePack;
using MessagePack.Formatters;
using ProcessPool.Protocol;

namespace ProcessPool.Serialization;

/// <summary>
/// An exception as a value (a result, an argument, a field of another exception): it travels as an
/// <see cref="ExceptionInfo"/> and is rebuilt as <see cref="ExceptionState"/> does for a task's error.
/// </summary>
internal sealed class ExceptionFormatter<T> : IMessagePackFormatter<T>
    where T : Exception
{
    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        if (ExceptionState.IsBeingCaptured(value))
        {
            throw new PayloadGraphException($"the {value.GetType().Name} refers back to itself (a cycle).");
        }

        ExceptionState.Capture(value, PayloadOptions.Of(options).Context).Write(ref writer);
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null!;
        }

        options.Security.DepthStep(ref reader);
        var exception = ExceptionState.Rebuild(ExceptionInfo.Read(ref reader), PayloadOptions.Of(options).Context);
        reader.Depth--;
        return exception as T ?? throw new MessagePackSerializationException(
            $"The exception arrived as {exception.GetType()}, which is not a {typeof(T)} (its type could not be rebuilt in this process).");
    }
}

using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Values declared as <see cref="object"/> travel as <c>[type descriptor, value]</c> and arrive as the
/// same type: an <c>int</c> stays an <c>int</c> (MessagePack alone would hand back a <c>byte</c>), a
/// <c>List&lt;string&gt;</c> a <c>List&lt;string&gt;</c>. The common framework types need nothing; the
/// app's own types need <see cref="ProcessPoolOptions.AllowedTypes"/>, and without it the value is
/// refused, naming the type and the fix, instead of arriving as a dictionary of its properties.
/// </summary>
internal sealed class ObjectFormatter : IMessagePackFormatter<object?>
{
    public static readonly ObjectFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var type = value.GetType();
        if (TypeCheck.Problem(type, null) is { } problem)
        {
            throw new PayloadGraphException($"it holds a {TypeCheck.Describe(type)}: {problem}");
        }

        writer.WriteArrayHeader(2);
        var context = PayloadOptions.Of(options).Context;
        if (!TypeDescriptors.TryWrite(ref writer, type, context, out var culprit))
        {
            throw new PayloadGraphException(Advice.ForUndeclaredType(typeof(object), type, culprit!, value, context));
        }

        if (type == typeof(object))
        {
            writer.WriteNil(); // a bare object has no state
            return;
        }

        PayloadSerializer.WriteBoxed(ref writer, type, value, options);
    }

    public object? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        if (reader.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("A value declared as object must hold its type and the value.");
        }

        var type = TypeDescriptors.Read(ref reader, PayloadOptions.Of(options).Context);
        object? value = type == typeof(object) && reader.TryReadNil() ? new object() : PayloadSerializer.ReadBoxed(ref reader, type, options);
        reader.Depth--;
        return value;
    }
}

using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// For values declared as an interface, an abstract class or a class that has subclasses: a value whose
/// run-time type is in <see cref="ProcessPoolOptions.AllowedTypes"/> travels with its type's name, in an
/// extension value <c>[name, value]</c> of type <see cref="ExtensionType"/>, and is rebuilt as that type.
/// A value of exactly the declared type goes through <paramref name="inner"/>; so does any value of a
/// collection interface MessagePack knows (an <c>IList&lt;int&gt;</c> arrives as a list). Anything else
/// is refused with advice that works (<see cref="Advice"/>), never copied as a different type. A name
/// that is not allowed here is refused before any type is looked up.
/// </summary>
internal sealed class AllowListFormatter<T>(IMessagePackFormatter<T>? inner) : IMessagePackFormatter<T>
{
    public const sbyte ExtensionType = 81;

    private static readonly bool s_declaredOnly = !typeof(T).IsInterface && !typeof(T).IsAbstract;

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var type = value.GetType();
        if (type == typeof(T) && inner is not null)
        {
            inner.Serialize(ref writer, value, options);
            return;
        }

        if (TypeCheck.Problem(type, null) is { } problem)
        {
            throw new PayloadGraphException($"it holds a {TypeCheck.Describe(type)}: {problem}");
        }

        if (AllowedTypeRegistry.MayWrite(type))
        {
            var body = new ArrayBufferWriter<byte>();
            var bodyWriter = new MessagePackWriter(body);
            bodyWriter.WriteArrayHeader(2);
            bodyWriter.Write(type.AssemblyQualifiedName);
            PayloadSerializer.WriteBoxed(ref bodyWriter, type, value, options);
            bodyWriter.Flush();
            writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, body.WrittenCount));
            writer.WriteRaw(body.WrittenSpan);
            return;
        }

        if (inner is not null && !s_declaredOnly)
        {
            inner.Serialize(ref writer, value, options);
            return;
        }

        throw new PayloadGraphException(Advice.ForUndeclaredType(typeof(T), type, type, value));
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default!;
        }

        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return (inner ?? throw new MessagePackSerializationException($"A value declared as {typeof(T)} needs its type named in an allowed extension value.")).Deserialize(ref reader, options);
        }

        var peek = reader.CreatePeekReader();
        if (peek.ReadExtensionFormatHeader().TypeCode != ExtensionType)
        {
            // Another extension (a shared-memory array, a dictionary with a comparer): the inner formatter's own.
            return (inner ?? throw new MessagePackSerializationException($"Unexpected extension value where a {typeof(T)} was expected.")).Deserialize(ref reader, options);
        }

        var extension = reader.ReadExtensionFormat();

        // The nested reader keeps the outer depth, so typed values inside typed values still meet the
        // security depth limit instead of starting again at zero.
        options.Security.DepthStep(ref reader);
        try
        {
            var body = reader.Clone(extension.Data);
            if (body.ReadArrayHeader() != 2)
            {
                throw new MessagePackSerializationException("A typed value must hold a type name and the value.");
            }

            string name = body.ReadString() ?? "";
            if (!AllowedTypeRegistry.TryResolve(name, out var type) || !typeof(T).IsAssignableFrom(type))
            {
                throw new MessagePackSerializationException($"The payload names the type '{name}', which is not in ProcessPoolOptions.AllowedTypes (or is not a {typeof(T)}); it was refused.");
            }

            body.Depth = reader.Depth;
            return (T)PayloadSerializer.ReadBoxed(ref body, type, options)!;
        }
        finally
        {
            reader.Depth--;
        }
    }
}

using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// For values declared as <see cref="object"/>, an interface or an abstract class: a value whose run-time
/// type is in <see cref="ProcessPoolOptions.AllowedTypes"/> travels with its type's name, in an extension
/// value <c>[name, value]</c> of type <see cref="ExtensionType"/>, and is rebuilt as that type. Anything
/// else goes as MessagePack's contractless resolver writes it (for <see cref="object"/>: maps, arrays and
/// primitives). A name that is not allowed here is refused before any type is looked up.
/// </summary>
internal sealed class AllowListFormatter<T>(IMessagePackFormatter<T>? inner) : IMessagePackFormatter<T>
{
    public const sbyte ExtensionType = 81;

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        var type = value.GetType();
        if (type == typeof(T) || !AllowedTypeRegistry.MayWrite(type))
        {
            (inner ?? throw NotAllowed(type)).Serialize(ref writer, value, options);
            return;
        }

        var body = new ArrayBufferWriter<byte>();
        var bodyWriter = new MessagePackWriter(body);
        bodyWriter.WriteArrayHeader(2);
        bodyWriter.Write(type.AssemblyQualifiedName);
        bodyWriter.Flush();
        MessagePackSerializer.Serialize(type, body, value, options);
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, body.WrittenCount));
        writer.WriteRaw(body.WrittenSpan);
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

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionType)
        {
            return inner is null
                ? throw new MessagePackSerializationException($"Unexpected extension type {extension.Header.TypeCode} where a {typeof(T)} was expected.")
                : ReadWithInner(extension);
        }

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

            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            return (T)MessagePackSerializer.Deserialize(type, ref body, options)!;
        }
        finally
        {
            reader.Depth--;
        }

        T ReadWithInner(ExtensionResult other)
        {
            // Another extension (a shared-memory array inside an object): let the contractless formatter read it whole.
            var whole = new ArrayBufferWriter<byte>();
            var rewrite = new MessagePackWriter(whole);
            rewrite.WriteExtensionFormat(new ExtensionResult(other.Header.TypeCode, other.Data));
            rewrite.Flush();
            var again = new MessagePackReader(whole.WrittenMemory);
            return inner.Deserialize(ref again, options);
        }
    }

    private static MessagePackSerializationException NotAllowed(Type type) =>
        new($"a {typeof(T)} whose run-time type is {type} can travel only if ProcessPoolOptions.AllowedTypes lists {type}.");
}

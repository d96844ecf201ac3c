using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// For values declared as an interface, an abstract class or a class that has subclasses: a value whose
/// run-time type is well known (<see cref="TypeDescriptors"/>: an <c>IDictionary</c> holding a
/// <c>Dictionary</c> with its comparer, an <c>IEnumerable</c> holding a <c>HashSet</c>) or in
/// <see cref="ProcessPoolOptions.AllowedTypes"/> travels as that type: an extension value of type
/// <see cref="ExtensionType"/> holding its type descriptor, followed by the value itself (streamed, so a
/// long chain of such values costs what it weighs). A value of exactly the declared type goes through
/// <paramref name="inner"/>; so does any other value of a collection interface MessagePack knows (an
/// <c>IList&lt;int&gt;</c> arrives as a list). Anything else is refused with advice that works
/// (<see cref="Advice"/>), never copied as a different type. A name that is not allowed here is refused
/// before any type is looked up.
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

        var context = PayloadOptions.Of(options).Context;
        if (TypeDescriptors.IsWellKnown(type) || context.MayWrite(type))
        {
            var descriptor = new ArrayBufferWriter<byte>(64);
            var descriptorWriter = new MessagePackWriter(descriptor);
            TypeDescriptors.TryWrite(ref descriptorWriter, type, context, out _);
            descriptorWriter.Flush();
            writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, descriptor.WrittenCount));
            writer.WriteRaw(descriptor.WrittenSpan);
            PayloadSerializer.WriteBoxed(ref writer, type, value, options);
            return;
        }

        if (inner is not null && !s_declaredOnly)
        {
            inner.Serialize(ref writer, value, options);
            return;
        }

        throw new PayloadGraphException(Advice.ForUndeclaredType(typeof(T), type, type, value, context));
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
        var descriptor = new MessagePackReader(extension.Data);
        var type = TypeDescriptors.Read(ref descriptor, PayloadOptions.Of(options).Context);
        if (!typeof(T).IsAssignableFrom(type))
        {
            throw new MessagePackSerializationException($"The payload names the type {type}, which is not a {typeof(T)}; it was refused.");
        }

        // The value's own formatter takes the depth step, as it did when it was written.
        return (T)PayloadSerializer.ReadBoxed(ref reader, type, options)!;
    }
}

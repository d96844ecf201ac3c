using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// A struct marked <see cref="InlineArrayAttribute"/> that holds references: an array of its elements.
/// It declares one field, but holds <see cref="InlineArrayAttribute.Length"/> of them, so copying its
/// fields would keep only the first. (One of plain data travels as its bytes, <see cref="RawStructFormatter{T}"/>.)
/// </summary>
internal sealed class InlineArrayFormatter<T, TElement> : IMessagePackFormatter<T>
    where T : struct
{
    private static readonly int s_length = typeof(T).GetCustomAttributes(typeof(InlineArrayAttribute), inherit: false) is [InlineArrayAttribute attribute] ? attribute.Length : 1;

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        var elements = MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, TElement>(ref value), s_length);
        writer.WriteArrayHeader(elements.Length);
        foreach (var element in elements)
        {
            FieldIO.Write(ref writer, element, options, "an element of an inline array");
        }
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        options.Security.DepthStep(ref reader);
        int count = reader.ReadArrayHeader();
        if (count != s_length)
        {
            throw new MessagePackSerializationException($"A {typeof(T)} arrived with {count} elements; it holds {s_length}.");
        }

        T value = default;
        var elements = MemoryMarshal.CreateSpan(ref Unsafe.As<T, TElement>(ref value), s_length);
        for (int i = 0; i < elements.Length; i++)
        {
            elements[i] = FieldIO.Read<TElement>(ref reader, options, "an element of an inline array");
        }

        reader.Depth--;
        return value;
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// A struct of plain data (no references, no pointers, nothing marked not to travel) as its bytes:
/// parent and worker run the same build, so the layout is the same. Faster than field by field for the
/// small structs maps are made of, and exact for fixed-size buffers, which a field-by-field copy would cut.
/// </summary>
internal sealed class RawStructFormatter<T> : IMessagePackFormatter<T>
    where T : struct
{
    public static readonly RawStructFormatter<T> Instance = new();

    /// <summary>Whether <typeparamref name="T"/> can travel as its bytes.</summary>
    public static bool Fits(Type type) =>
        !RuntimeHelpers.IsReferenceOrContainsReferences<T>() && PlainBytes(type, 0);

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options) =>
        writer.Write(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref value, 1)));

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException($"A {typeof(T)} cannot be nil.");
        if (bytes.Length != Unsafe.SizeOf<T>())
        {
            throw new MessagePackSerializationException($"A {typeof(T)} arrived as {bytes.Length} bytes; this build's is {Unsafe.SizeOf<T>()}.");
        }

        T value = default;
        System.Buffers.BuffersExtensions.CopyTo(bytes, MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1)));
        return value;
    }

    private static bool PlainBytes(Type type, int depth) =>
        depth < 8 && ShippedFields.AllOf(type).All(f =>
            !ShippedFields.IsNotShipped(f)
            && f.FieldType != typeof(IntPtr) && f.FieldType != typeof(UIntPtr) && !f.FieldType.IsPointer && !f.FieldType.IsFunctionPointer
            && (f.FieldType.IsPrimitive || f.FieldType.IsEnum || (f.FieldType.IsValueType && PlainBytes(f.FieldType, depth + 1))));
}

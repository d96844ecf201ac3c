using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Arrays of primitives: small ones inline, as MessagePack writes them; large ones (see
/// <see cref="SharedMemory.Threshold"/>) as a reference to a shared-memory file, in an extension
/// value <c>[path, length]</c> of type <see cref="ExtensionType"/>.
/// </summary>
internal sealed class SharedArrayFormatter<T>(IMessagePackFormatter<T[]?> inline) : IMessagePackFormatter<T[]?>
    where T : unmanaged
{
    public const sbyte ExtensionType = 80;

    public void Serialize(ref MessagePackWriter writer, T[]? value, MessagePackSerializerOptions options)
    {
        if (value is null || PayloadOptions.Of(options).Write is not { Pool: not null } scope || (long)value.Length * Unsafe.SizeOf<T>() < SharedMemory.Threshold
            || SharedMemory.TryWrite(scope, MemoryMarshal.AsBytes(value.AsSpan())) is not { } path)
        {
            inline.Serialize(ref writer, value, options);
            return;
        }

        var body = new ArrayBufferWriter<byte>(64 + (path.Length * 3));
        var inner = new MessagePackWriter(body);
        inner.WriteArrayHeader(2);
        inner.Write(path);
        inner.Write(value.Length);
        inner.Flush();
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, body.WrittenCount));
        writer.WriteRaw(body.WrittenSpan);
    }

    public T[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return inline.Deserialize(ref reader, options);
        }

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionType)
        {
            throw new MessagePackSerializationException($"Unexpected extension type {extension.Header.TypeCode} where an array of {typeof(T).Name} was expected.");
        }

        var inner = new MessagePackReader(extension.Data);
        if (inner.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("A shared-memory array reference must hold a path and a length.");
        }

        string path = inner.ReadString() ?? throw new MessagePackSerializationException("A shared-memory array reference has no path.");
        int length = inner.ReadInt32();
        if (length < 0)
        {
            throw new MessagePackSerializationException($"A shared-memory array reference announces {length} elements.");
        }

        return SharedMemory.Read<T>(path, length);
    }
}

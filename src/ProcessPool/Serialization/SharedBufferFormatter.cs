using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// A <see cref="SharedBuffer"/> travels as a reference to its segment, an extension value
/// <c>[path, length]</c> of type <see cref="ExtensionType"/>; its bytes never enter the message.
/// The parent lends its buffers for the call (each call holds the memory until it ends); a worker
/// sends its buffers away with the result (its own object lets go once the result is out), and sends
/// a copy of an argument view, which is not its to give.
/// </summary>
internal sealed class SharedBufferFormatter : IMessagePackFormatter<SharedBuffer?>
{
    public const sbyte ExtensionType = 81;

    public static readonly SharedBufferFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, SharedBuffer? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        ObjectDisposedException.ThrowIf(value.IsDisposed, value);
        var pool = PayloadOptions.Of(options).Write is { Pool: { } p } ? p
            : throw new InvalidOperationException("A SharedBuffer travels only as (part of) the arguments or the result of a pool's call.");
        if (value.Segment.Directory != pool.Directory)
        {
            throw new InvalidOperationException(
                "This SharedBuffer belongs to another pool. Rent one from this pool (pool.RentBuffer) and copy into it.");
        }

        var scope = PayloadOptions.Of(options).Writing;
        if (!pool.InWorker)
        {
            value.BeginCall();
            scope.Add(SegmentUse.Lent(value));
        }
        else if (value.IsBorrowed)
        {
            var copy = pool.RentBuffer(value.Length);
            value.Span.CopyTo(copy.Span);
            copy.TryMarkSent();
            scope.Add(SegmentUse.Sent(copy, copy: true));
            value = copy;
        }
        else if (value.TryMarkSent())
        {
            scope.Add(SegmentUse.Sent(value, copy: false));
        }
        else
        {
            throw new InvalidOperationException("This SharedBuffer is already part of this result: a buffer can be sent once. Send a copy.");
        }

        var body = new ArrayBufferWriter<byte>(64 + (value.Segment.Path.Length * 3));
        var inner = new MessagePackWriter(body);
        inner.WriteArrayHeader(2);
        inner.Write(value.Segment.Path);
        inner.Write(value.Length);
        inner.Flush();
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, body.WrittenCount));
        writer.WriteRaw(body.WrittenSpan);
    }

    public SharedBuffer? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionType)
        {
            throw new MessagePackSerializationException($"Unexpected extension type {extension.Header.TypeCode} where a SharedBuffer was expected.");
        }

        var inner = new MessagePackReader(extension.Data);
        if (inner.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("A shared buffer reference must hold a path and a length.");
        }

        string path = inner.ReadString() ?? throw new MessagePackSerializationException("A shared buffer reference has no path.");
        int length = inner.ReadInt32();
        if (length < 0)
        {
            throw new MessagePackSerializationException($"A shared buffer reference announces {length} bytes.");
        }

        return SharedMemory.ReadBuffer(path, length, PayloadOptions.Of(options).Context.Segments);
    }
}

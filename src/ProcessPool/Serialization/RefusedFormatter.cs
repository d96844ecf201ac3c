using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>For a type that cannot travel: a null goes as nil, anything else is refused with <paramref name="reason"/>.</summary>
internal sealed class RefusedFormatter<T>(string reason) : IMessagePackFormatter<T>
{
    public string Reason => reason;

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is not null)
        {
            throw new PayloadGraphException(reason);
        }

        writer.WriteNil();
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.TryReadNil() ? default! : throw new MessagePackSerializationException(reason);
}

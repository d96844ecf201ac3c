using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// A <see cref="DateTime"/> travels as its ticks and its <see cref="DateTimeKind"/> in one integer, the
/// way <see cref="DateTime.ToBinary"/> packs Utc and Unspecified values. MessagePack's own format is a
/// UTC timestamp: a Local or Unspecified value came back as Utc, and a Local one shifted by the offset.
/// A Local value keeps its wall-clock ticks, so a worker in another time zone sees the same digits.
/// </summary>
internal sealed class DateTimeFormatter : IMessagePackFormatter<DateTime>
{
    public static readonly DateTimeFormatter Instance = new();
    private const long TicksMask = 0x3FFF_FFFF_FFFF_FFFF;

    public void Serialize(ref MessagePackWriter writer, DateTime value, MessagePackSerializerOptions options) =>
        writer.Write(value.Ticks | ((long)value.Kind << 62));

    public DateTime Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        long data = reader.ReadInt64();
        var kind = (DateTimeKind)((ulong)data >> 62);
        long ticks = data & TicksMask;
        return kind > DateTimeKind.Local || ticks > DateTime.MaxValue.Ticks
            ? throw new MessagePackSerializationException($"0x{data:x16} is not a DateTime.")
            : new DateTime(ticks, kind);
    }
}

/// <summary>Arrays of <see cref="DateTime"/>, element by element through <see cref="DateTimeFormatter"/>.</summary>
internal sealed class DateTimeArrayFormatter : IMessagePackFormatter<DateTime[]?>
{
    public static readonly DateTimeArrayFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, DateTime[]? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(value.Length);
        foreach (var item in value)
        {
            DateTimeFormatter.Instance.Serialize(ref writer, item, options);
        }
    }

    public DateTime[]? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var array = new DateTime[reader.ReadArrayHeader()];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = DateTimeFormatter.Instance.Deserialize(ref reader, options);
        }

        return array;
    }
}

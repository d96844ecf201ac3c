using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// <see cref="Dictionary{TKey, TValue}"/> and <see cref="HashSet{T}"/> with their comparer: a plain
/// MessagePack map or array, preceded, when the comparer is a well-known string comparer
/// (<see cref="KnownComparers"/>), by an extension value of type <see cref="ExtensionType"/> holding its
/// code. Keys of any type work (tuples, records, structs): the reader builds the collection with the key
/// type's own equality, as the writer's process had it.
/// </summary>
internal static class ComparerKeeping
{
    public const sbyte ExtensionType = 83;

    /// <summary>Writes the comparer's code, when it is not the default, ahead of the collection.</summary>
    public static void WriteComparer(ref MessagePackWriter writer, int comparer)
    {
        if (comparer == KnownComparers.Default)
        {
            return;
        }

        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, 1));
        writer.Write((byte)comparer); // one byte: a positive fixint, the codes are small
    }

    /// <summary>Reads the comparer's code if one comes ahead of the collection; <see cref="KnownComparers.Default"/> otherwise.</summary>
    public static int ReadComparer(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return KnownComparers.Default;
        }

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionType)
        {
            throw new MessagePackSerializationException($"Unexpected extension type {extension.Header.TypeCode} where a dictionary or set was expected.");
        }

        var code = new MessagePackReader(extension.Data);
        return code.ReadInt32();
    }
}

internal sealed class ComparerKeepingDictionaryFormatter<TKey, TValue> : IMessagePackFormatter<Dictionary<TKey, TValue>?>
    where TKey : notnull
{
    public void Serialize(ref MessagePackWriter writer, Dictionary<TKey, TValue>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        ComparerKeeping.WriteComparer(ref writer, KnownComparers.CodeOf(value.Comparer));
        var keys = PayloadFormatters<TKey>.Instance;
        var values = PayloadFormatters<TValue>.Instance;
        writer.WriteMapHeader(value.Count);
        foreach (var (key, item) in value)
        {
            keys.Serialize(ref writer, key, options);
            values.Serialize(ref writer, item, options);
        }
    }

    public Dictionary<TKey, TValue>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        int comparer = ComparerKeeping.ReadComparer(ref reader);
        var keys = PayloadFormatters<TKey>.Instance;
        var values = PayloadFormatters<TValue>.Instance;
        int count = reader.ReadMapHeader();
        var dictionary = new Dictionary<TKey, TValue>(Math.Min(count, 1 << 16), KnownComparers.ByCode<TKey>(comparer));
        for (int i = 0; i < count; i++)
        {
            var key = keys.Deserialize(ref reader, options);
            dictionary[key] = values.Deserialize(ref reader, options);
        }

        reader.Depth--;
        return dictionary;
    }
}

internal sealed class ComparerKeepingHashSetFormatter<T> : IMessagePackFormatter<HashSet<T>?>
{
    public void Serialize(ref MessagePackWriter writer, HashSet<T>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        ComparerKeeping.WriteComparer(ref writer, KnownComparers.CodeOf(value.Comparer));
        var items = PayloadFormatters<T>.Instance;
        writer.WriteArrayHeader(value.Count);
        foreach (var item in value)
        {
            items.Serialize(ref writer, item, options);
        }
    }

    public HashSet<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        int comparer = ComparerKeeping.ReadComparer(ref reader);
        var items = PayloadFormatters<T>.Instance;
        int count = reader.ReadArrayHeader();
        var set = new HashSet<T>(Math.Min(count, 1 << 16), KnownComparers.ByCode<T>(comparer));
        for (int i = 0; i < count; i++)
        {
            set.Add(items.Deserialize(ref reader, options));
        }

        reader.Depth--;
        return set;
    }
}

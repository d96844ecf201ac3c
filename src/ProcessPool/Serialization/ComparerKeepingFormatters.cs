using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// <see cref="Dictionary{TKey, TValue}"/> and <see cref="HashSet{T}"/> with their comparer: with the
/// default comparer, a plain MessagePack map or array; with a well-known string comparer
/// (<see cref="KnownComparers"/>), an extension value <c>[comparer code, map or array]</c> of type
/// <see cref="ExtensionType"/>. Keys of any type work (tuples, records, structs): the reader builds the
/// collection with the key type's own equality, as the writer's process had it.
/// </summary>
internal static class ComparerKeeping
{
    public const sbyte ExtensionType = 83;

    /// <summary>Writes <paramref name="write"/>'s output, wrapped with the comparer code when it is not the default.</summary>
    public static void Write<TState>(ref MessagePackWriter writer, int comparer, TState state, WriteBody<TState> write, MessagePackSerializerOptions options)
    {
        if (comparer == KnownComparers.Default)
        {
            write(ref writer, state, options);
            return;
        }

        var body = new ArrayBufferWriter<byte>();
        var bodyWriter = new MessagePackWriter(body);
        bodyWriter.WriteArrayHeader(2);
        bodyWriter.Write(comparer);
        write(ref bodyWriter, state, options);
        bodyWriter.Flush();
        writer.WriteExtensionFormatHeader(new ExtensionHeader(ExtensionType, body.WrittenCount));
        writer.WriteRaw(body.WrittenSpan);
    }

    /// <summary>
    /// Reads the collection with <paramref name="read"/>, from the comparer-wrapped form or the plain one,
    /// passing the comparer code (<see cref="KnownComparers.Default"/> for the plain form).
    /// </summary>
    public static TResult Read<TResult>(ref MessagePackReader reader, ReadBody<TResult> read, MessagePackSerializerOptions options)
    {
        if (reader.NextMessagePackType != MessagePackType.Extension)
        {
            return read(ref reader, KnownComparers.Default, options);
        }

        var extension = reader.ReadExtensionFormat();
        if (extension.Header.TypeCode != ExtensionType)
        {
            throw new MessagePackSerializationException($"Unexpected extension type {extension.Header.TypeCode} where a dictionary or set was expected.");
        }

        var body = reader.Clone(extension.Data);
        body.Depth = reader.Depth;
        if (body.ReadArrayHeader() != 2)
        {
            throw new MessagePackSerializationException("A dictionary or set with a comparer must hold the comparer's code and the collection.");
        }

        int code = body.ReadInt32();
        return read(ref body, code, options);
    }

    public delegate TResult ReadBody<TResult>(ref MessagePackReader reader, int comparer, MessagePackSerializerOptions options);

    public delegate void WriteBody<TState>(ref MessagePackWriter writer, TState state, MessagePackSerializerOptions options);
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

        ComparerKeeping.Write(ref writer, KnownComparers.CodeOf(value.Comparer), value, WriteEntries, options);
    }

    public Dictionary<TKey, TValue>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        var dictionary = ComparerKeeping.Read(ref reader, ReadEntries, options);
        reader.Depth--;
        return dictionary;
    }

    private static Dictionary<TKey, TValue> ReadEntries(ref MessagePackReader reader, int comparer, MessagePackSerializerOptions options)
    {
        var keys = PayloadFormatters<TKey>.Instance;
        var values = PayloadFormatters<TValue>.Instance;
        int count = reader.ReadMapHeader();
        var dictionary = new Dictionary<TKey, TValue>(Math.Min(count, 1 << 16), KnownComparers.ByCode<TKey>(comparer));
        for (int i = 0; i < count; i++)
        {
            var key = keys.Deserialize(ref reader, options);
            dictionary[key] = values.Deserialize(ref reader, options);
        }

        return dictionary;
    }

    private static void WriteEntries(ref MessagePackWriter writer, Dictionary<TKey, TValue> value, MessagePackSerializerOptions options)
    {
        var keys = PayloadFormatters<TKey>.Instance;
        var values = PayloadFormatters<TValue>.Instance;
        writer.WriteMapHeader(value.Count);
        foreach (var (key, item) in value)
        {
            keys.Serialize(ref writer, key, options);
            values.Serialize(ref writer, item, options);
        }
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

        ComparerKeeping.Write(ref writer, KnownComparers.CodeOf(value.Comparer), value, WriteItems, options);
    }

    public HashSet<T>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        var set = ComparerKeeping.Read(ref reader, ReadItems, options);
        reader.Depth--;
        return set;
    }

    private static HashSet<T> ReadItems(ref MessagePackReader reader, int comparer, MessagePackSerializerOptions options)
    {
        var items = PayloadFormatters<T>.Instance;
        int count = reader.ReadArrayHeader();
        var set = new HashSet<T>(Math.Min(count, 1 << 16), KnownComparers.ByCode<T>(comparer));
        for (int i = 0; i < count; i++)
        {
            set.Add(items.Deserialize(ref reader, options));
        }

        return set;
    }

    private static void WriteItems(ref MessagePackWriter writer, HashSet<T> value, MessagePackSerializerOptions options)
    {
        var items = PayloadFormatters<T>.Instance;
        writer.WriteArrayHeader(value.Count);
        foreach (var item in value)
        {
            items.Serialize(ref writer, item, options);
        }
    }
}

using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ProcessPool.Serialization;

/// <summary>
/// The resolver for payloads: MessagePack's own formatters for the common primitives, looked up
/// directly, and MessagePack's contractless resolver (allowing private members) for everything else.
/// The direct path matters for start-up: a worker that only ever sees ints and strings never pays for
/// initialising MessagePack's large resolver tables (~100 ms measured here).
/// </summary>
internal sealed class PayloadResolver : IFormatterResolver
{
    public static readonly PayloadResolver Instance = new();

    public IMessagePackFormatter<T>? GetFormatter<T>() => Cache<T>.Formatter;

    private static object? Primitive(Type type) =>
        type == typeof(int) ? Int32Formatter.Instance
        : type == typeof(long) ? Int64Formatter.Instance
        : type == typeof(double) ? DoubleFormatter.Instance
        : type == typeof(float) ? SingleFormatter.Instance
        : type == typeof(bool) ? BooleanFormatter.Instance
        : type == typeof(string) ? NullableStringFormatter.Instance
        : type == typeof(byte[]) ? ByteArrayFormatter.Instance
        : type == typeof(int[]) ? Int32ArrayFormatter.Instance
        : type == typeof(long[]) ? Int64ArrayFormatter.Instance
        : type == typeof(double[]) ? DoubleArrayFormatter.Instance
        : null;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter =
            (IMessagePackFormatter<T>?)Primitive(typeof(T)) ?? ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>();
    }
}

/// <summary>Options built without touching <c>MessagePackSerializerOptions.Standard</c>, whose initialisation is slow.</summary>
internal sealed class PayloadSerializerOptions : MessagePackSerializerOptions
{
    public PayloadSerializerOptions(IFormatterResolver resolver) : base(resolver)
    {
    }

    private PayloadSerializerOptions(PayloadSerializerOptions copyFrom) : base(copyFrom)
    {
    }

    protected override MessagePackSerializerOptions Clone() => new PayloadSerializerOptions(this);
}

using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ProcessPool.Serialization;

/// <summary>
/// The resolver for payloads, in this order:
/// <list type="number">
/// <item>the common primitives, looked up directly (a worker that only sees ints and strings never pays
/// for initialising MessagePack's large resolver tables, ~100 ms measured here); large arrays of
/// primitives through shared memory (<see cref="SharedArrayFormatter{T}"/>), and <see cref="SharedBuffer"/>
/// (<see cref="SharedBufferFormatter"/>);</item>
/// <item>types that cannot travel at all (<see cref="TypeCheck"/>): refused, naming why;</item>
/// <item>what MessagePack gets wrong for us: <see cref="DateTime"/> (kind kept), <see cref="object"/>
/// (type kept, <see cref="ObjectFormatter"/>), dictionaries and sets (comparer kept, any key type);</item>
/// <item>MessagePack's own formatters for framework types, collections, tuples, enums, and types with a
/// MessagePack contract (<c>[MessagePackObject]</c>, <c>[MessagePackFormatter]</c>);</item>
/// <item>the app's own types: structs of plain data as their bytes (<see cref="RawStructFormatter{T}"/>),
/// the rest field by field (<see cref="FieldwiseFormatter{T}"/>);</item>
/// <item>other framework objects: refused, with what to do instead (<see cref="Advice"/>).</item>
/// </list>
/// Every composite formatter is wrapped in a <see cref="GraphGuard{T}"/> (cycles, depth, nested
/// process-bound values); values declared as an interface, an abstract class or a class with
/// subclasses in an <see cref="AllowListFormatter{T}"/>.
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
        : type == typeof(byte[]) ? new SharedArrayFormatter<byte>(ByteArrayFormatter.Instance)
        : type == typeof(int[]) ? new SharedArrayFormatter<int>(Int32ArrayFormatter.Instance)
        : type == typeof(long[]) ? new SharedArrayFormatter<long>(Int64ArrayFormatter.Instance)
        : type == typeof(double[]) ? new SharedArrayFormatter<double>(DoubleArrayFormatter.Instance)
        : type == typeof(float[]) ? new SharedArrayFormatter<float>(SingleArrayFormatter.Instance)
        : type == typeof(SharedBuffer) ? SharedBufferFormatter.Instance
        : type == typeof(DateTime) ? DateTimeFormatter.Instance
        : type == typeof(DateTime?) ? new StaticNullableFormatter<DateTime>(DateTimeFormatter.Instance)
        : type == typeof(DateTime[]) ? DateTimeArrayFormatter.Instance
        : type == typeof(CancellationToken) ? CancellationTokenFormatter.Instance
        : type == typeof(System.Numerics.BigInteger) ? BigIntegerFormatter.Instance
        : null;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            var type = typeof(T);
            if (Primitive(type) is IMessagePackFormatter<T> primitive)
            {
                return primitive;
            }

            if (TypeCheck.Problem(type, null) is { } problem)
            {
                return new RefusedFormatter<T>($"it holds a {TypeCheck.Describe(type)}: {problem}");
            }

            if (type == typeof(object))
            {
                return (IMessagePackFormatter<T>)(object)new GraphGuard<object?>(ObjectFormatter.Instance);
            }

            if (typeof(Exception).IsAssignableFrom(type))
            {
                return new GraphGuard<T>((IMessagePackFormatter<T>)Activator.CreateInstance(typeof(ExceptionFormatter<>).MakeGenericType(type))!);
            }

            var own = Own();
            if (own is not null)
            {
                return new GraphGuard<T>(own);
            }

            bool polymorphic = type.IsInterface || type.IsAbstract;
            var standard = MessagePackResolvers.All.Select(r => r.GetFormatter<T>()).FirstOrDefault(f => f is not null);
            if (standard is null && type.IsDefined(typeof(MessagePackObjectAttribute), inherit: false))
            {
                standard = DynamicObjectResolverAllowPrivate.Instance.GetFormatter<T>();
            }

            if (standard is not null && FrameworkTypes.OwnStateBesidesElements(type) is { } ownState)
            {
                // An app class deriving from a framework collection: MessagePack would copy its elements only.
                return new RefusedFormatter<T>(
                    $"{FieldNames.Friendly(type)} derives from a framework collection and has state of its own ({ownState}), which travels with neither "
                    + "the collection's elements nor field by field: hold the collection in a field instead of deriving from it, or mark that state [NotShipped].");
            }

            if (standard is not null)
            {
                var guarded = new GraphGuard<T>(standard);
                return polymorphic ? new AllowListFormatter<T>(guarded) : guarded;
            }

            if (polymorphic)
            {
                return new AllowListFormatter<T>(null);
            }

            if (type.IsValueType && type.GetCustomAttributes(typeof(System.Runtime.CompilerServices.InlineArrayAttribute), inherit: false).Length > 0
                && !RawStructFits(type) && ShippedFields.AllOf(type).SingleOrDefault() is { } element)
            {
                return new GraphGuard<T>((IMessagePackFormatter<T>)Activator.CreateInstance(typeof(InlineArrayFormatter<,>).MakeGenericType(type, element.FieldType))!);
            }

            if (type.IsValueType && FrameworkTypes.TravelsFieldByField(type) && RawStructFits(type))
            {
                return (IMessagePackFormatter<T>)typeof(RawStructFormatter<>).MakeGenericType(type).GetField(nameof(RawStructFormatter<int>.Instance))!.GetValue(null)!;
            }

            if (FrameworkTypes.TravelsFieldByField(type))
            {
                var fieldwise = new GraphGuard<T>(FieldwiseFormatter<T>.Instance);
                return type.IsSealed || type.IsValueType ? fieldwise : new AllowListFormatter<T>(fieldwise);
            }

            return new RefusedFormatter<T>(Advice.ForFrameworkType(type));
        }

        private static bool RawStructFits(Type type) =>
            typeof(RawStructFormatter<>).MakeGenericType(type).GetMethod(nameof(RawStructFormatter<int>.Fits))!.Invoke(null, [type]) is true;

        // Dictionaries and sets keep their comparer and take keys of any type.
        private static IMessagePackFormatter<T>? Own()
        {
            if (!typeof(T).IsConstructedGenericType)
            {
                return null;
            }

            var definition = typeof(T).GetGenericTypeDefinition();
            var arguments = typeof(T).GetGenericArguments();
            var formatter = definition == typeof(Dictionary<,>) ? typeof(ComparerKeepingDictionaryFormatter<,>).MakeGenericType(arguments)
                : definition == typeof(HashSet<>) ? typeof(ComparerKeepingHashSetFormatter<>).MakeGenericType(arguments)
                : null;
            return formatter is null ? null : (IMessagePackFormatter<T>)Activator.CreateInstance(formatter)!;
        }
    }
}

/// <summary>
/// MessagePack's resolvers, set up on first use: a worker whose calls carry only primitives never pays for
/// them (DynamicUnionResolver alone builds a dynamic assembly: 15–50 ms of a worker's start, measured here).
/// </summary>
internal static class MessagePackResolvers
{
    public static readonly IFormatterResolver[] All =
    [
        BuiltinResolver.Instance,
        AttributeFormatterResolver.Instance,
        MessagePack.ImmutableCollection.ImmutableCollectionResolver.Instance,
        DynamicGenericResolver.Instance,
        DynamicUnionResolver.Instance,
    ];
}

/// <summary>The payload formatter of each type, in a static field: Map reads and writes millions of values.</summary>
internal static class PayloadFormatters<T>
{
    public static readonly IMessagePackFormatter<T> Instance = PayloadResolver.Instance.GetFormatter<T>()
        ?? throw new MessagePackSerializationException($"No formatter for {typeof(T)}.");
}

/// <summary>A token inside a value is not sent; it arrives as <see cref="CancellationToken.None"/> (a parameter gets the task's own token).</summary>
internal sealed class CancellationTokenFormatter : IMessagePackFormatter<CancellationToken>
{
    public static readonly CancellationTokenFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, CancellationToken value, MessagePackSerializerOptions options) => writer.WriteNil();

    public CancellationToken Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        reader.Skip();
        return CancellationToken.None;
    }
}

/// <summary>A <see cref="System.Numerics.BigInteger"/> as its two's-complement bytes (MessagePack 2.5's own formatter throws on .NET 10).</summary>
internal sealed class BigIntegerFormatter : IMessagePackFormatter<System.Numerics.BigInteger>
{
    public static readonly BigIntegerFormatter Instance = new();

    public void Serialize(ref MessagePackWriter writer, System.Numerics.BigInteger value, MessagePackSerializerOptions options) =>
        writer.Write(value.ToByteArray());

    public System.Numerics.BigInteger Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.ReadBytes() is { } bytes ? new System.Numerics.BigInteger(System.Buffers.BuffersExtensions.ToArray(bytes)) : throw new MessagePackSerializationException("A BigInteger cannot be nil.");
}

using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ProcessPool.Serialization;

/// <summary>
/// The resolver for payloads: MessagePack's own formatters for the common primitives, looked up
/// directly, and MessagePack's contractless resolver (allowing private members) for everything else.
/// Arrays of primitives go through shared memory when large (<see cref="SharedArrayFormatter{T}"/>).
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
        : type == typeof(byte[]) ? new SharedArrayFormatter<byte>(ByteArrayFormatter.Instance)
        : type == typeof(int[]) ? new SharedArrayFormatter<int>(Int32ArrayFormatter.Instance)
        : type == typeof(long[]) ? new SharedArrayFormatter<long>(Int64ArrayFormatter.Instance)
        : type == typeof(double[]) ? new SharedArrayFormatter<double>(DoubleArrayFormatter.Instance)
        : type == typeof(float[]) ? new SharedArrayFormatter<float>(SingleArrayFormatter.Instance)
        : null;

    private static class Cache<T>
    {
        public static readonly IMessagePackFormatter<T>? Formatter = Create();

        private static IMessagePackFormatter<T>? Create()
        {
            if (Primitive(typeof(T)) is IMessagePackFormatter<T> primitive)
            {
                return primitive;
            }

            var contractless = ContractlessStandardResolverAllowPrivate.Instance.GetFormatter<T>() is { } formatter ? new DepthGuard<T>(formatter) : null;
            bool polymorphic = typeof(T) == typeof(object) || typeof(T).IsInterface || (typeof(T).IsAbstract && !typeof(T).IsSealed);
            return polymorphic ? new AllowListFormatter<T>(contractless) : contractless;
        }
    }

    /// <summary>
    /// Every composite value passes through here on its way out. MessagePack does not detect cycles: an
    /// object graph that points back at itself would recurse until the stack overflows and takes the
    /// process down, so depth is bounded. And a stream or handle nested inside an argument is refused
    /// like a top-level one, instead of being copied property by property.
    /// </summary>
    private sealed class DepthGuard<T>(IMessagePackFormatter<T> inner) : IMessagePackFormatter<T>
    {
        private const int MaxDepth = 500; // what the reading side accepts (MessagePackSecurity.UntrustedData)
        private static readonly string? s_problem = TypeCheck.Problem(typeof(T), null);

        [ThreadStatic]
        private static int t_depth;

        public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
        {
            t_depth++;
            try
            {
                if (t_depth > MaxDepth)
                {
                    throw new InvalidOperationException($"the object graph is deeper than {MaxDepth} levels (does it refer back to itself?)");
                }

                string? problem = s_problem ?? (typeof(T).IsValueType || value is null ? null : TypeCheck.Problem(typeof(T), value.GetType()));
                if (problem is not null)
                {
                    throw new InvalidOperationException($"it contains a {TypeCheck.Describe(typeof(T).IsValueType || value is null ? typeof(T) : value.GetType())}: {problem}");
                }

                System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
                inner.Serialize(ref writer, value, options);
            }
            finally
            {
                t_depth--;
            }
        }

        public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => inner.Deserialize(ref reader, options);
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

using System.Collections.Concurrent;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Serializes arguments, captured state and results with MessagePack-CSharp. Values are always read
/// as the type the call declares (never a type named by the data), so a worker or parent only ever
/// creates the types it expects.
/// </summary>
internal static class PayloadSerializer
{
    public static readonly MessagePackSerializerOptions Options = new PayloadSerializerOptions(PayloadResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private static readonly ConcurrentDictionary<Type, BoxedSerializer> s_boxed = new();

    /// <summary>Writes a value of a statically known type; <paramref name="what"/> names it in errors.</summary>
    public static void Write<T>(ref MessagePackWriter writer, T value, string what)
    {
        if (typeof(T) == typeof(CancellationToken))
        {
            return; // never sent: the worker supplies the call's own token
        }

        if (value is null)
        {
            writer.WriteNil(); // nothing process-bound travels in a null, whatever its declared type
            return;
        }

        // On the hot path: the declared type's verdict is cached per T, and only a reference whose
        // run-time type differs (an interface, a base class) needs a look-up. No boxing either way.
        if (TypeCheck.ProblemOf<T>() is not null || (!typeof(T).IsValueType && value.GetType() != typeof(T)))
        {
            TypeCheck.ThrowIfUnsupported(typeof(T), value.GetType(), what);
        }

        try
        {
            FormatterOf<T>().Serialize(ref writer, value, Options);
        }
        catch (Exception e) when (e is not PayloadSerializationException)
        {
            throw Failure(what, value.GetType(), e);
        }
    }

    /// <summary>Writes a value whose type is known only at run time.</summary>
    public static void Write(ref MessagePackWriter writer, Type type, object? value, string what)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        TypeCheck.ThrowIfUnsupported(type, value.GetType(), what);
        try
        {
            Boxed(type).Write(ref writer, value);
        }
        catch (Exception e) when (e is not PayloadSerializationException)
        {
            throw Failure(what, value.GetType(), e);
        }
    }

    public static T Read<T>(ref MessagePackReader reader) =>
        default(T) is null && reader.TryReadNil() ? default! : FormatterOf<T>().Deserialize(ref reader, Options);

    // A static field per type instead of the resolver's generic virtual call on every value: Map reads
    // and writes millions of them.
    private static IMessagePackFormatter<T> FormatterOf<T>() => Formatters<T>.Instance ?? Options.Resolver.GetFormatterWithVerify<T>();

    public static object? Read(ref MessagePackReader reader, Type type) =>
        (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null) && reader.TryReadNil() ? null : Boxed(type).Read(ref reader);

    // MessagePackSerializer's own non-generic entry points compile code at first use (~40 ms here);
    // one small generic adapter per type is much cheaper.
    private static BoxedSerializer Boxed(Type type) =>
        s_boxed.GetOrAdd(type, static t => (BoxedSerializer)Activator.CreateInstance(typeof(BoxedSerializer<>).MakeGenericType(t))!);

    private static PayloadSerializationException Failure(string what, Type type, Exception e)
    {
        var root = e;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        return new PayloadSerializationException(
            what,
            type,
            $"Cannot send {what} of type {TypeCheck.Describe(type)} to a worker process: {root.Message}",
            e);
    }

    private static class Formatters<T>
    {
        public static readonly IMessagePackFormatter<T>? Instance = PayloadResolver.Instance.GetFormatter<T>();
    }

    private abstract class BoxedSerializer
    {
        public abstract void Write(ref MessagePackWriter writer, object? value);

        public abstract object? Read(ref MessagePackReader reader);
    }

    private sealed class BoxedSerializer<T> : BoxedSerializer
    {
        public override void Write(ref MessagePackWriter writer, object? value) =>
            Options.Resolver.GetFormatterWithVerify<T>().Serialize(ref writer, (T)value!, Options);

        public override object? Read(ref MessagePackReader reader) =>
            Options.Resolver.GetFormatterWithVerify<T>().Deserialize(ref reader, Options);
    }
}

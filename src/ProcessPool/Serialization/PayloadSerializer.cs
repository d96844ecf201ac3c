using System.Collections.Concurrent;
using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// Serializes arguments, captured state and results (<see cref="PayloadResolver"/> says how each type
/// travels). Values are always read as the type the call declares, or as a type the payload names
/// that is well known or allowed, so a worker or parent only ever creates the types it expects. Every
/// failure becomes a <see cref="PayloadSerializationException"/> that names the value, where in its
/// graph the culprit sits, and the side that failed. Every entry point takes the
/// <see cref="PayloadOptions"/> of its pool (for writing, of its one write: <see cref="PayloadContext.BeginWrite"/>).
/// </summary>
internal static class PayloadSerializer
{
    private static readonly ConcurrentDictionary<Type, BoxedSerializer> s_boxed = new();

    /// <summary>Writes a value of a statically known type; <paramref name="what"/> names it in errors.</summary>
    public static void Write<T>(ref MessagePackWriter writer, T value, PayloadOptions options, string what)
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
            PayloadFormatters<T>.Instance.Serialize(ref writer, value, options);
        }
        catch (Exception e) when (e is not PayloadSerializationException)
        {
            throw WriteFailure(what, value.GetType(), e);
        }
    }

    /// <summary>Writes a value whose type is known only at run time.</summary>
    public static void Write(ref MessagePackWriter writer, Type type, object? value, PayloadOptions options, string what)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        TypeCheck.ThrowIfUnsupported(type, value.GetType(), what);
        try
        {
            Boxed(type).Write(ref writer, value, options);
        }
        catch (Exception e) when (e is not PayloadSerializationException)
        {
            throw WriteFailure(what, value.GetType(), e);
        }
    }

    public static T Read<T>(ref MessagePackReader reader, PayloadOptions options) =>
        typeof(T) == typeof(CancellationToken) ? default! // never sent (see Write)
        : default(T) is null && reader.TryReadNil() ? default! : PayloadFormatters<T>.Instance.Deserialize(ref reader, options);

    public static object? Read(ref MessagePackReader reader, Type type, PayloadOptions options) => ReadBoxed(ref reader, type, options);

    /// <summary>For formatters: a nested value of a type known only at run time.</summary>
    public static void WriteBoxed(ref MessagePackWriter writer, Type type, object? value, MessagePackSerializerOptions options) =>
        Boxed(type).Write(ref writer, value, options);

    public static object? ReadBoxed(ref MessagePackReader reader, Type type, MessagePackSerializerOptions options) =>
        (!type.IsValueType || Nullable.GetUnderlyingType(type) is not null) && reader.TryReadNil() ? null : Boxed(type).Read(ref reader, options);

    /// <summary>A payload this side cannot read, as the exception the caller sees: named, with the side that failed.</summary>
    public static PayloadSerializationException ReadFailure(string what, Type type, Exception e) =>
        e as PayloadSerializationException ?? new PayloadSerializationException(
            what,
            type,
            $"{ProcessRole.Reader} cannot read {what} as {TypeCheck.Describe(type)}: {Reason(e)}",
            e);

    private static PayloadSerializationException WriteFailure(string what, Type type, Exception e) =>
        new(what, type, $"Cannot send {what} of type {TypeCheck.Describe(type)} {ProcessRole.SendDirection}: {Reason(e)}", e);

    private static string Reason(Exception e) => e is PayloadGraphException graph ? graph.Describe() : PayloadGraphException.RootMessage(e);

    // MessagePackSerializer's own non-generic entry points compile code at first use (~40 ms here);
    // one small generic adapter per type is much cheaper.
    private static BoxedSerializer Boxed(Type type) =>
        s_boxed.GetOrAdd(type, static t => (BoxedSerializer)Activator.CreateInstance(typeof(BoxedSerializer<>).MakeGenericType(t))!);

    private abstract class BoxedSerializer
    {
        public abstract void Write(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options);

        public abstract object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options);
    }

    private sealed class BoxedSerializer<T> : BoxedSerializer
    {
        public override void Write(ref MessagePackWriter writer, object? value, MessagePackSerializerOptions options) =>
            PayloadFormatters<T>.Instance.Serialize(ref writer, (T)value!, options);

        public override object? Read(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
            PayloadFormatters<T>.Instance.Deserialize(ref reader, options);
    }
}

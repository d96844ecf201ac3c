using MessagePack;
using MessagePack.Resolvers;

namespace ProcessPool.Serialization;

/// <summary>
/// Serializes arguments, captured state and results with MessagePack-CSharp. Values are always read
/// as the type the call declares (never a type named by the data), so a worker or parent only ever
/// creates the types it expects.
/// </summary>
internal static class PayloadSerializer
{
    public static readonly MessagePackSerializerOptions Options = MessagePackSerializerOptions.Standard
        .WithResolver(ContractlessStandardResolverAllowPrivate.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    /// <summary>Writes a value of a statically known type; <paramref name="what"/> names it in errors.</summary>
    public static void Write<T>(ref MessagePackWriter writer, T value, string what)
    {
        if (typeof(T) == typeof(CancellationToken))
        {
            return; // never sent: the worker supplies the call's own token
        }

        TypeCheck.ThrowIfUnsupported(typeof(T), value?.GetType(), what);
        try
        {
            MessagePackSerializer.Serialize(ref writer, value, Options);
        }
        catch (Exception e) when (e is MessagePackSerializationException or FormatterNotRegisteredException or InvalidOperationException or NotSupportedException)
        {
            throw Failure(what, value?.GetType() ?? typeof(T), e);
        }
    }

    /// <summary>Writes a value whose type is known only at run time.</summary>
    public static void Write(ref MessagePackWriter writer, Type type, object? value, string what)
    {
        TypeCheck.ThrowIfUnsupported(type, value?.GetType(), what);
        try
        {
            MessagePackSerializer.Serialize(type, ref writer, value, Options);
        }
        catch (Exception e) when (e is MessagePackSerializationException or FormatterNotRegisteredException or InvalidOperationException or NotSupportedException)
        {
            throw Failure(what, value?.GetType() ?? type, e);
        }
    }

    public static T Read<T>(ref MessagePackReader reader) => MessagePackSerializer.Deserialize<T>(ref reader, Options);

    public static object? Read(ref MessagePackReader reader, Type type) => MessagePackSerializer.Deserialize(type, ref reader, Options);

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
}

using System.Reflection;
using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>
/// The fast path for the commonest shape, a synchronous function of one argument, optionally followed
/// by a <see cref="CancellationToken"/> (most Maps and Submits): a typed delegate called in a loop, arguments and results read and written by their
/// own types. No argument array, no boxing, no reflection per item, which matters when a chunk holds
/// thousands of tiny items. Other shapes go through <see cref="Invoker.Invoke"/>.
/// </summary>
internal abstract class TypedItemRunner
{
    /// <summary>Runs items until <paramref name="count"/> have completed; <paramref name="completed"/> counts them, also when one throws.</summary>
    public abstract void Run(object? target, ref MessagePackReader reader, ref MessagePackWriter writer, int count, ref int completed, PayloadOptions options, CancellationToken callToken);

    /// <summary>The runner for <paramref name="method"/>, or null when it does not have the fast path's shape.</summary>
    public static TypedItemRunner? TryCreate(MethodInfo method, Type[] parameterTypes, Type? resultType)
    {
        // Only exact types: variance (a delegate type wider than the method's own) takes the general path.
        bool withToken = parameterTypes is [_, var last] && last == typeof(CancellationToken);
        var methodParameters = method.GetParameters();
        bool fits = parameterTypes.Length == (withToken ? 2 : 1) && parameterTypes[0] != typeof(CancellationToken)
            && methodParameters.Length == parameterTypes.Length && methodParameters.Select(p => p.ParameterType).SequenceEqual(parameterTypes)
            && resultType is not null && method.ReturnType == resultType && !typeof(Task).IsAssignableFrom(resultType);
        return fits
            ? (TypedItemRunner)Activator.CreateInstance(typeof(TypedItemRunner<,>).MakeGenericType(parameterTypes[0], resultType!), method, withToken)!
            : null;
    }
}

/// <summary>A <see cref="TypedItemRunner"/> for a <c>Func&lt;T, TResult&gt;</c> or a <c>Func&lt;T, CancellationToken, TResult&gt;</c>.</summary>
internal sealed class TypedItemRunner<T, TResult>(MethodInfo method, bool withToken) : TypedItemRunner
{
    private readonly string _what = $"the result of {method.DeclaringType?.Name}.{method.Name}";
    private readonly string _argument = $"argument 1 of {method.DeclaringType?.Name}.{method.Name}";

    public override void Run(object? target, ref MessagePackReader reader, ref MessagePackWriter writer, int count, ref int completed, PayloadOptions options, CancellationToken callToken)
    {
        // A token-taking function gets the call's token bound once, and runs through the same loop.
        var function = withToken
            ? Bind(method.CreateDelegate<Func<T, CancellationToken, TResult>>(method.IsStatic ? null : target), callToken)
            : method.CreateDelegate<Func<T, TResult>>(method.IsStatic ? null : target);
        var segments = options.Writing;
        var reading = options.Context.Reading;
        for (; completed < count; completed++)
        {
            var result = function(ReadArgument(ref reader, reading));
            PayloadSerializer.Write(ref writer, result, options, _what);
            writer.Flush();
            segments.Commit();
        }
    }

    private static Func<T, TResult> Bind(Func<T, CancellationToken, TResult> function, CancellationToken token) => item => function(item, token);

    private T ReadArgument(ref MessagePackReader reader, PayloadOptions options)
    {
        try
        {
            return PayloadSerializer.Read<T>(ref reader, options);
        }
        catch (Exception e)
        {
            throw PayloadSerializer.ReadFailure(_argument, typeof(T), e);
        }
    }
}

using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;

namespace ProcessPool.Serialization;

/// <summary>
/// Rejects, before anything is sent, the types that only make sense inside this process (streams,
/// handles, threads, tasks, delegates, reflection objects): MessagePack's contractless resolver would
/// otherwise serialize their public properties and the worker would get a broken copy.
/// </summary>
internal static class TypeCheck
{
    private static readonly ConcurrentDictionary<Type, string?> s_reasons = new();

    /// <summary>Why values declared as <typeparamref name="T"/> cannot travel, worked out once per type.</summary>
    public static string? ProblemOf<T>() => Declared<T>.Problem;

    /// <summary>Why a value of this declared (and run-time) type cannot travel, or null if it may.</summary>
    public static string? Problem(Type declaredType, Type? runtimeType) =>
        Reason(declaredType) ?? (runtimeType is not null && runtimeType != declaredType ? Reason(runtimeType) : null);

    public static void ThrowIfUnsupported(Type declaredType, Type? runtimeType, string what)
    {
        var type = declaredType;
        string? reason = Reason(declaredType);
        if (reason is null && runtimeType is not null && runtimeType != declaredType)
        {
            type = runtimeType;
            reason = Reason(runtimeType);
        }

        if (reason is not null)
        {
            throw new PayloadSerializationException(what, type, $"Cannot send {what} of type {Describe(type)} {ProcessRole.SendDirection}: {reason}");
        }
    }

    /// <summary>A type as messages name it: its full name, with generic arguments as C# spells them.</summary>
    public static string Describe(Type type) =>
        type.IsGenericType || type.IsArray ? (type.Namespace is { Length: > 0 } ns && !type.IsArray ? ns + "." : "") + FieldNames.Friendly(type) : type.FullName ?? type.Name;

    private static string? Reason(Type type) => s_reasons.GetOrAdd(type, static t => Compute(t, depth: 0));

    private static string? Compute(Type type, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        if (type.IsPointer || type == typeof(IntPtr) || type == typeof(UIntPtr) || type.IsByRefLike)
        {
            return "pointers and ref structs have no meaning in another process.";
        }

        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return "delegates cannot be serialized; call the function inside the lambda you submit instead.";
        }

        if (typeof(Task).IsAssignableFrom(type) || type == typeof(ValueTask) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            return "a task is bound to this process; await it and send its result.";
        }

        if (typeof(IExecutor).IsAssignableFrom(type))
        {
            return "an executor cannot be sent to a worker; submit the work from this process.";
        }

        if (typeof(MemberInfo).IsAssignableFrom(type) || typeof(Assembly).IsAssignableFrom(type))
        {
            return "reflection objects cannot be serialized; send a name instead.";
        }

        if (IsProcessBound(type))
        {
            return "it holds operating-system resources (handles, threads, streams) that belong to this process.";
        }

        if (type.IsArray)
        {
            return Compute(type.GetElementType()!, depth + 1);
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                if (Compute(argument, depth + 1) is { } reason)
                {
                    return reason;
                }
            }
        }

        return null;
    }

    private static bool IsProcessBound(Type type) =>
        typeof(Stream).IsAssignableFrom(type)
        || typeof(TextReader).IsAssignableFrom(type)
        || typeof(TextWriter).IsAssignableFrom(type)
        || typeof(SafeHandle).IsAssignableFrom(type)
        || typeof(WaitHandle).IsAssignableFrom(type)
        || typeof(Thread).IsAssignableFrom(type)
        || typeof(CancellationTokenSource).IsAssignableFrom(type)
        || typeof(System.Diagnostics.Process).IsAssignableFrom(type)
        || typeof(Socket).IsAssignableFrom(type)
        || typeof(Timer).IsAssignableFrom(type)
        || typeof(SemaphoreSlim).IsAssignableFrom(type)
        || type == typeof(Lock);

    private static class Declared<T>
    {
        public static readonly string? Problem = Reason(typeof(T));
    }
}

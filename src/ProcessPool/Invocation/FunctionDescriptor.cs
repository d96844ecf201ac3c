using System.Collections.Concurrent;
using System.Reflection;
using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>
/// The parent's side of a function: how to name it to a worker (<see cref="Definition"/>) and how to
/// ship the object it is bound to. Built once per method, target type and delegate type, then cached;
/// a worker is sent the definition once and later calls name it by <see cref="Id"/>.
/// </summary>
internal sealed class FunctionDescriptor
{
    private static readonly ConcurrentDictionary<(MethodInfo Method, Type? Target, Type Delegate), FunctionDescriptor> s_cache = new();
    private static int s_lastId;
    private readonly FieldLayout? _layout;

    private FunctionDescriptor(MethodInfo method, Type? targetType, Type delegateType)
    {
        Id = Interlocked.Increment(ref s_lastId);
        var kind = TargetKind.None;
        if (targetType is not null)
        {
            if (FieldLayout.IsCompilerGenerated(targetType))
            {
                _layout = FieldLayout.For(targetType, method);
                kind = _layout.HasFields ? TargetKind.Closure : TargetKind.Singleton;
            }
            else
            {
                TypeCheck.ThrowIfUnsupported(targetType, null, $"the object {method.Name} is bound to");
                _layout = FieldLayout.ForObject(targetType, method, holder: null);
                kind = TargetKind.Object;
            }
        }

        var invoke = delegateType.GetMethod("Invoke")!;
        var declaring = method.DeclaringType ?? throw new ArgumentException($"Method {method.Name} has no declaring type; global methods cannot be sent to a worker.");
        Definition = new FunctionDefinition(
            AssemblyName: method.Module.Assembly.FullName!,
            AssemblyLocation: string.IsNullOrEmpty(method.Module.Assembly.Location) ? null : method.Module.Assembly.Location,
            ModuleVersionId: method.Module.ModuleVersionId,
            MetadataToken: method.MetadataToken,
            DeclaringType: TypeNames.Of(declaring),
            MethodName: method.Name,
            MethodTypeArguments: method.IsGenericMethod ? [.. method.GetGenericArguments().Select(TypeNames.Of)] : [],
            TargetKind: kind,
            TargetType: targetType is null ? null : TypeNames.Of(targetType),
            ParameterTypes: [.. invoke.GetParameters().Select(p => TypeNames.Of(p.ParameterType))],
            ResultType: ResultTypeOf(invoke.ReturnType) is { } result ? TypeNames.Of(result) : null);
        Name = $"{declaring.Name}.{method.Name}";
    }

    public int Id { get; }

    public string Name { get; }

    public FunctionDefinition Definition { get; }

    /// <summary>Finds or builds the descriptor of a delegate, rejecting what cannot run in another process.</summary>
    public static FunctionDescriptor For(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.HasSingleTarget is false)
        {
            throw new ArgumentException("A multicast delegate cannot be sent to a worker; submit each function on its own.", nameof(function));
        }

        var method = function.Method;
        var target = function.Target;
        var key = (method, target?.GetType(), function.GetType());
        if (s_cache.TryGetValue(key, out var known))
        {
            return known;
        }

        if (method is System.Reflection.Emit.DynamicMethod || method.Module.Assembly.IsDynamic)
        {
            throw new ArgumentException($"Method {method.Name} was generated at run time (a compiled expression or dynamic method); only methods compiled into an assembly can run in a worker.", nameof(function));
        }

        if (method.IsStatic && target is not null)
        {
            throw new ArgumentException($"The delegate binds static method {method.Name} to its first argument (an extension-method group); wrap the call in a lambda instead.", nameof(function));
        }

        return s_cache.GetOrAdd(key, static k => new FunctionDescriptor(k.Method, k.Target, k.Delegate));
    }

    /// <summary>The type each result is serialized as, or null for functions that return nothing.</summary>
    public static Type? ResultTypeOf(Type returnType)
    {
        if (returnType == typeof(void) || returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            return null;
        }

        return returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? returnType.GetGenericArguments()[0]
            : returnType;
    }

    /// <summary>Writes the delegate's target (closure fields or object) at the start of a call's payload.</summary>
    public void WriteTarget(ref MessagePackWriter writer, object? target, PayloadOptions options)
    {
        switch (Definition.TargetKind)
        {
            case TargetKind.Closure or TargetKind.Object:
                _layout!.Write(ref writer, target!, options);
                break;
            default:
                writer.WriteNil();
                break;
        }
    }
}

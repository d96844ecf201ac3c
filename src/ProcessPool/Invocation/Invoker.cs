using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>
/// The worker's side of a function: the resolved method, how to rebuild its target, and the declared
/// types its arguments and results travel as. Built once per <see cref="FunctionDefinition"/>.
/// </summary>
internal sealed class Invoker
{
    private readonly MethodInfo _method;
    private readonly TargetKind _targetKind;
    private readonly Type? _targetType;
    private readonly FieldLayout? _layout;
    private readonly object? _singleton;
    private readonly Type[] _parameterTypes;
    private readonly Type? _resultType;
    private readonly PropertyInfo? _taskResult;
    private readonly Func<object, object?>? _awaitValueTask;

    private Invoker(FunctionDefinition definition)
    {
        _method = ResolveMethod(definition);
        _targetKind = definition.TargetKind;
        _parameterTypes = [.. definition.ParameterTypes.Select(TypeNames.Resolve)];
        _resultType = definition.ResultType is null ? null : TypeNames.Resolve(definition.ResultType);
        if (definition.TargetType is { } targetName)
        {
            _targetType = TypeNames.Resolve(targetName);
            switch (_targetKind)
            {
                case TargetKind.Closure:
                    _layout = FieldLayout.For(_targetType, _method);
                    break;
                case TargetKind.Object:
                    _layout = FieldLayout.ForObject(_targetType, _method, holder: null);
                    break;
                case TargetKind.Singleton:
                    _singleton = RuntimeHelpers.GetUninitializedObject(_targetType);
                    break;
            }
        }

        Typed = TypedItemRunner.TryCreate(_method, _parameterTypes, _resultType);
        var returnType = _method.ReturnType;
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            _taskResult = returnType.GetProperty(nameof(Task<int>.Result));
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            _awaitValueTask = typeof(ValueTasks).GetMethod(nameof(ValueTasks.Await))!.MakeGenericMethod(returnType.GetGenericArguments())
                .CreateDelegate<Func<object, object?>>();
        }
    }

    public static Invoker Create(FunctionDefinition definition) => new(definition);

    /// <summary>The function as errors name it: <c>Type.Method</c>.</summary>
    public string Name => $"{_method.DeclaringType?.Name}.{_method.Name}";

    /// <summary>The fast path, for synchronous functions of one argument; null for other shapes.</summary>
    public TypedItemRunner? Typed { get; }

    public object? ReadTarget(ref MessagePackReader reader, PayloadOptions options, CancellationToken callToken)
    {
        switch (_targetKind)
        {
            case TargetKind.Closure:
            case TargetKind.Object:
                try
                {
                    return _layout!.Read(ref reader, options, callToken);
                }
                catch (Exception e) when (e is not ProtocolException)
                {
                    throw PayloadSerializer.ReadFailure($"the captured state of {Name}", _targetType!, e);
                }

            default:
                reader.Skip();
                return _singleton;
        }
    }

    /// <summary>Reads one item's arguments, runs the method (waiting for a returned task) and returns its result.</summary>
    public object? Invoke(object? target, ref MessagePackReader reader, PayloadOptions options, CancellationToken callToken)
    {
        object?[] arguments = _parameterTypes.Length == 0 ? [] : new object?[_parameterTypes.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            try
            {
                arguments[i] = _parameterTypes[i] == typeof(CancellationToken) ? callToken : PayloadSerializer.Read(ref reader, _parameterTypes[i], options);
            }
            catch (Exception e)
            {
                throw PayloadSerializer.ReadFailure($"argument {i + 1} of {Name}", _parameterTypes[i], e);
            }
        }

        object? returned = _method.Invoke(target, BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
        switch (returned)
        {
            case Task task:
                task.GetAwaiter().GetResult();
                return _taskResult?.GetValue(task);
            case ValueTask valueTask:
                valueTask.AsTask().GetAwaiter().GetResult(); // a ValueTask over an IValueTaskSource may not be waited on directly
                return null;
            case not null when _awaitValueTask is not null:
                return _awaitValueTask(returned);
            default:
                return returned;
        }
    }

    public void WriteResult(ref MessagePackWriter writer, object? value, PayloadOptions options)
    {
        if (_resultType is null)
        {
            writer.WriteNil();
        }
        else
        {
            PayloadSerializer.Write(ref writer, _resultType, value, options, $"the result of {Name}");
        }
    }

    private static class ValueTasks
    {
        public static object? Await<T>(object boxed) => ((ValueTask<T>)boxed).AsTask().GetAwaiter().GetResult();
    }

    private static MethodInfo ResolveMethod(FunctionDefinition definition)
    {
        TypeNames.RememberAssemblyPath(definition.AssemblyName, definition.AssemblyLocation);
        var declaringType = TypeNames.Resolve(definition.DeclaringType);
        var module = declaringType.Assembly.Modules.FirstOrDefault(m => m.ModuleVersionId == definition.ModuleVersionId)
            ?? throw new InvalidOperationException(
                $"The worker loaded a different build of {declaringType.Assembly.FullName} (from '{declaringType.Assembly.Location}') " +
                $"than the parent (module version {definition.ModuleVersionId:D}). Rebuild, and make sure the worker resolves the same files as the app.");

        var method = module.ResolveMethod(definition.MetadataToken) as MethodInfo
            ?? throw new InvalidOperationException($"Token 0x{definition.MetadataToken:x8} in {module.Name} is not a method.");
        if (declaringType.IsGenericType)
        {
            method = (MethodInfo)MethodBase.GetMethodFromHandle(method.MethodHandle, declaringType.TypeHandle)!;
        }

        if (definition.MethodTypeArguments.Length > 0)
        {
            method = method.MakeGenericMethod([.. definition.MethodTypeArguments.Select(TypeNames.Resolve)]);
        }

        if (method.Name != definition.MethodName)
        {
            throw new InvalidOperationException($"Token 0x{definition.MetadataToken:x8} names {method.Name} in the worker but {definition.MethodName} in the parent.");
        }

        return method;
    }
}

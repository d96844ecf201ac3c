using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// Ships an object field by field, each by its declared type, and rebuilds it in the worker without
/// running a constructor (as pickle rebuilds <c>__dict__</c>). Two kinds of object travel this way:
/// <list type="bullet">
/// <item>a lambda's closure (compiler-generated "display class"): only the fields the lambda reads
/// (see <see cref="ClosureFieldScanner"/>); nested closures (<c>CS$&lt;&gt;8__locals1</c>) recursively;</item>
/// <item>the object an instance method is bound to, and a <c>this</c> captured by a lambda: every
/// instance field of its class and base classes, so immutable objects with private state work.</item>
/// </list>
/// Captured <see cref="CancellationToken"/>s are not sent: the worker substitutes the call's own token.
/// </summary>
internal sealed class FieldLayout
{
    private static readonly ConcurrentDictionary<(Type Type, MethodInfo? Lambda), FieldLayout> s_layouts = new();
    private readonly MethodInfo? _lambda;
    private readonly Field[] _fields;

    private FieldLayout(Type type, MethodInfo? lambda)
    {
        Type = type;
        _lambda = lambda;
        if (lambda is not null)
        {
            var used = ClosureFieldScanner.UsedFieldTokens(lambda);
            _fields = [.. type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => used is null || used.Contains(f.MetadataToken))
                .OrderBy(f => f.MetadataToken)
                .Select(f => new Field(f, KindOf(f.FieldType, inClosure: true), Describe(type, f)))];
        }
        else
        {
            _fields = [.. Hierarchy(type)
                .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly).OrderBy(f => f.MetadataToken))
                .Select(f => new Field(f, KindOf(f.FieldType, inClosure: false), $"field '{f.Name}' of {TypeCheck.Describe(type)}"))];
        }
    }

    private enum FieldKind : byte
    {
        Value,
        Closure,
        Object,
        Token,
    }

    public Type Type { get; }

    public bool HasFields => _fields.Length > 0;

    /// <summary>The layout of closure <paramref name="type"/> as <paramref name="lambda"/> uses it: only the fields it reads.</summary>
    public static FieldLayout For(Type type, MethodInfo lambda) => s_layouts.GetOrAdd((type, lambda), static key => new FieldLayout(key.Type, key.Lambda));

    /// <summary>The layout of a whole object: every instance field of its class and base classes.</summary>
    public static FieldLayout ForObject(Type type) => s_layouts.GetOrAdd((type, null), static key => new FieldLayout(key.Type, null));

    /// <summary>True for the compiler's generated types: closures, lambda holders, local-function frames.</summary>
    public static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    public void Write(ref MessagePackWriter writer, object instance)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        writer.WriteArrayHeader(_fields.Length);
        for (int i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            object? value = field.Info.GetValue(instance);
            switch (field.Kind)
            {
                case FieldKind.Token:
                    writer.WriteNil();
                    break;
                case FieldKind.Closure when value is not null:
                    For(value.GetType(), _lambda!).Write(ref writer, value);
                    break;
                case FieldKind.Object when value is not null:
                    // The runtime type travels too: `this` may be a subclass of the type that declared the lambda.
                    var runtimeType = value.GetType();
                    TypeCheck.ThrowIfUnsupported(field.Info.FieldType, runtimeType, field.Description);
                    writer.WriteArrayHeader(2);
                    writer.Write(Invocation.TypeNames.Of(runtimeType));
                    ForObject(runtimeType).Write(ref writer, value);
                    break;
                case FieldKind.Closure or FieldKind.Object:
                    writer.WriteNil();
                    break;
                default:
                    WriteValue(ref writer, instance, i, value);
                    break;
            }
        }
    }

    public object Read(ref MessagePackReader reader, CancellationToken callToken)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int count = reader.ReadArrayHeader();
        if (count != _fields.Length)
        {
            throw new ProtocolException($"{Type} arrived with {count} fields; this build has {_fields.Length}.");
        }

        object instance = RuntimeHelpers.GetUninitializedObject(Type);
        foreach (var field in _fields)
        {
            object? value = field.Kind switch
            {
                FieldKind.Token => ReadToken(ref reader, callToken),
                FieldKind.Closure or FieldKind.Object when reader.TryReadNil() => null,
                FieldKind.Closure => For(field.Info.FieldType, _lambda!).Read(ref reader, callToken),
                FieldKind.Object => ReadObject(ref reader, field.Info.FieldType, callToken),
                _ => PayloadSerializer.Read(ref reader, field.Info.FieldType),
            };
            field.Info.SetValue(instance, value);
        }

        return instance;
    }

    private static object ReadObject(ref MessagePackReader reader, Type declaredType, CancellationToken callToken)
    {
        if (reader.ReadArrayHeader() != 2)
        {
            throw new ProtocolException($"A captured {declaredType} arrived malformed.");
        }

        var type = Invocation.TypeNames.Resolve(reader.ReadString() ?? "");
        if (!declaredType.IsAssignableFrom(type))
        {
            throw new ProtocolException($"A captured {declaredType} arrived as unrelated type {type}.");
        }

        return ForObject(type).Read(ref reader, callToken);
    }

    private static Stack<Type> Hierarchy(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            chain.Push(t);
        }

        return chain;
    }

    private void WriteValue(ref MessagePackWriter writer, object instance, int index, object? value)
    {
        var field = _fields[index];
        try
        {
            PayloadSerializer.Write(ref writer, field.Info.FieldType, value, field.Description);
        }
        catch (PayloadSerializationException e) when (_lambda is not null)
        {
            // Name every culprit at once: with a shared closure the first one found may not be the one the user expects.
            var message = new System.Text.StringBuilder(e.Message);
            foreach (var other in _fields.Skip(index + 1).Where(f => f.Kind == FieldKind.Value))
            {
                var otherValue = other.Info.GetValue(instance);
                if (TypeCheck.Problem(other.Info.FieldType, otherValue?.GetType()) is { } problem)
                {
                    message.Append($" Also {other.Description} of type {TypeCheck.Describe(otherValue?.GetType() ?? other.Info.FieldType)}: {problem}");
                }
            }

            message.Append(" Only the variables the lambda uses travel; pass what cannot be serialized as data instead (a path, not a stream).");
            throw new PayloadSerializationException(e.MemberDescription, e.MemberType, message.ToString(), e.InnerException);
        }
    }

    private static CancellationToken ReadToken(ref MessagePackReader reader, CancellationToken callToken)
    {
        reader.Skip();
        return callToken;
    }

    private static FieldKind KindOf(Type fieldType, bool inClosure) =>
        fieldType == typeof(CancellationToken) ? FieldKind.Token
        : !fieldType.IsClass || typeof(Delegate).IsAssignableFrom(fieldType) ? FieldKind.Value
        : inClosure && IsCompilerGenerated(fieldType) ? FieldKind.Closure
        : inClosure && IsUserObject(fieldType) ? FieldKind.Object
        : FieldKind.Value;

    // A captured `this`: a concrete class of the user's, not a framework type MessagePack knows how to write.
    private static bool IsUserObject(Type type) =>
        !type.IsAbstract && !type.IsArray && !type.IsGenericType && type != typeof(string)
        && type.Assembly != typeof(object).Assembly && !(type.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false);

    private static string Describe(Type closure, FieldInfo field)
    {
        string owner = closure.DeclaringType is { } d ? $" (captured in {TypeCheck.Describe(d)})" : "";
        if (field.Name.EndsWith("__this", StringComparison.Ordinal))
        {
            return $"'this'{owner}";
        }

        string name = field.Name;
        int close = name.IndexOf('>', StringComparison.Ordinal);
        if (name.StartsWith('<') && close > 1)
        {
            name = name[1..close];
        }

        return $"captured variable '{name}'{owner}";
    }

    private sealed record Field(FieldInfo Info, FieldKind Kind, string Description);
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// Ships a function's target field by field, each by its declared type, and rebuilds it in the worker
/// without running a constructor (as pickle rebuilds <c>__dict__</c>). Two kinds of target travel this way:
/// <list type="bullet">
/// <item>a lambda's closure (compiler-generated "display class"): only the fields the lambda reads
/// (see <see cref="ClosureFieldScanner"/>); nested closures (<c>CS$&lt;&gt;8__locals1</c>) recursively;</item>
/// <item>an object of the app's: the object an instance method is bound to, a <c>this</c> captured by a
/// lambda. Only the fields the function can reach travel (<see cref="ThisReach"/>), so a service class's
/// logger, HTTP client or pool stays behind; where the analysis cannot decide, every field does. Fields
/// marked <see cref="NotShippedAttribute"/> never travel.</item>
/// </list>
/// Captured <see cref="CancellationToken"/>s are not sent: the worker substitutes the call's own token.
/// </summary>
internal sealed class FieldLayout
{
    private static readonly ConcurrentDictionary<(Type Type, MethodInfo Lambda, bool IsObject, FieldInfo? Holder), FieldLayout> s_layouts = new();
    private readonly MethodInfo _lambda;
    private readonly Field[] _fields;
    private readonly ThisReach? _reach;

    private FieldLayout(Type type, MethodInfo lambda, bool isObject, FieldInfo? holder)
    {
        Type = type;
        _lambda = lambda;
        if (!isObject)
        {
            var used = ClosureFieldScanner.UsedFieldTokens(lambda);
            _fields = [.. type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => used is null || used.Contains(f.MetadataToken))
                .OrderBy(f => f.MetadataToken)
                .Select(f => new Field(f, KindOf(f.FieldType), DescribeCaptured(type, f)))];
            return;
        }

        _reach = ThisReach.Of(type, lambda, holder);
        var fields = new List<Field>();
        foreach (var field in ShippedFields.Of(type))
        {
            if (!_reach.Decided)
            {
                fields.Add(new Field(field, KindOf(field.FieldType, inClosure: false), FieldNames.Describe(field, type)));
            }
            else if (_reach.Reaches(field, out string path))
            {
                fields.Add(new Field(field, KindOf(field.FieldType, inClosure: false), $"{FieldNames.Describe(field, type)} (reached by {path})"));
            }
        }

        _fields = [.. fields];
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
    public static FieldLayout For(Type type, MethodInfo lambda) =>
        s_layouts.GetOrAdd((type, lambda, false, null), static key => new FieldLayout(key.Type, key.Lambda, isObject: false, holder: null));

    /// <summary>
    /// The layout of an object of the app's as <paramref name="function"/> uses it: the function's own
    /// receiver when <paramref name="holder"/> is null, else the object a closure holds in that field (its
    /// captured <c>this</c>, or a captured local).
    /// </summary>
    public static FieldLayout ForObject(Type type, MethodInfo function, FieldInfo? holder) =>
        s_layouts.GetOrAdd((type, function, true, holder), static key => new FieldLayout(key.Type, key.Lambda, isObject: true, key.Holder));

    /// <summary>True for the compiler's generated types: closures, lambda holders, local-function frames.</summary>
    public static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    public void Write(ref MessagePackWriter writer, object instance, PayloadOptions options)
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
                    For(value.GetType(), _lambda).Write(ref writer, value, options);
                    break;
                case FieldKind.Object when value is not null:
                    // The runtime type travels too: `this` may be a subclass of the type that declared the lambda.
                    var runtimeType = value.GetType();
                    TypeCheck.ThrowIfUnsupported(field.Info.FieldType, runtimeType, field.Description);
                    writer.WriteArrayHeader(2);
                    writer.Write(TypeNames.Of(runtimeType));
                    ForObject(runtimeType, _lambda, field.Info).Write(ref writer, value, options);
                    break;
                case FieldKind.Closure or FieldKind.Object:
                    writer.WriteNil();
                    break;
                default:
                    WriteValue(ref writer, instance, i, value, options);
                    break;
            }
        }
    }

    public object Read(ref MessagePackReader reader, PayloadOptions options, CancellationToken callToken)
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
                FieldKind.Closure => For(field.Info.FieldType, _lambda).Read(ref reader, options, callToken),
                FieldKind.Object => ReadObject(ref reader, field.Info, options, callToken),
                _ => PayloadSerializer.Read(ref reader, field.Info.FieldType, options),
            };
            field.Info.SetValue(instance, value);
        }

        return instance;
    }

    private object ReadObject(ref MessagePackReader reader, FieldInfo holder, PayloadOptions options, CancellationToken callToken)
    {
        var declaredType = holder.FieldType;
        if (reader.ReadArrayHeader() != 2)
        {
            throw new ProtocolException($"A captured {declaredType} arrived malformed.");
        }

        var type = TypeNames.Resolve(reader.ReadString() ?? "");
        if (!declaredType.IsAssignableFrom(type))
        {
            throw new ProtocolException($"A captured {declaredType} arrived as unrelated type {type}.");
        }

        return ForObject(type, _lambda, holder).Read(ref reader, options, callToken);
    }

    private void WriteValue(ref MessagePackWriter writer, object instance, int index, object? value, PayloadOptions options)
    {
        var field = _fields[index];
        try
        {
            PayloadSerializer.Write(ref writer, field.Info.FieldType, value, options, field.Description);
        }
        catch (PayloadSerializationException e)
        {
            throw new PayloadSerializationException(e.MemberDescription, e.MemberType, e.Message + Advice(instance, index), e.InnerException);
        }
    }

    private string Advice(object instance, int index)
    {
        if (_reach is { Decided: true })
        {
            return " Only the fields of `this` the function reaches travel: copy the value the task needs into a local variable before the lambda "
                + "(var value = this.field;) so that only that value travels, or mark the field [NotShipped] if the task does not need it in the worker.";
        }

        if (_reach is not null)
        {
            return $" ProcessPool could not tell which fields of {FieldNames.Friendly(Type)} the function uses ({_reach.Undecided}), so every field travels: "
                + "mark the fields that belong to this process [NotShipped], or copy what the task needs into local variables and submit a lambda that uses only those.";
        }

        // Name every culprit at once: with a shared closure the first one found may not be the one the user expects.
        var message = new System.Text.StringBuilder();
        foreach (var other in _fields.Skip(index + 1).Where(f => f.Kind == FieldKind.Value))
        {
            var otherValue = other.Info.GetValue(instance);
            if (TypeCheck.Problem(other.Info.FieldType, otherValue?.GetType()) is { } problem)
            {
                message.Append($" Also {other.Description} of type {TypeCheck.Describe(otherValue?.GetType() ?? other.Info.FieldType)}: {problem}");
            }
        }

        message.Append(" Only the variables the lambda uses travel; pass what cannot be serialized as data instead (a path, not a stream).");
        return message.ToString();
    }

    private static CancellationToken ReadToken(ref MessagePackReader reader, CancellationToken callToken)
    {
        reader.Skip();
        return callToken;
    }

    private static FieldKind KindOf(Type fieldType, bool inClosure = true) =>
        fieldType == typeof(CancellationToken) ? FieldKind.Token
        : !fieldType.IsClass || typeof(Delegate).IsAssignableFrom(fieldType) ? FieldKind.Value
        : inClosure && IsCompilerGenerated(fieldType) ? FieldKind.Closure
        : inClosure && IsUserObject(fieldType) ? FieldKind.Object
        : FieldKind.Value;

    // A captured `this`: a concrete class of the user's, not a framework type MessagePack knows how to write.
    private static bool IsUserObject(Type type) =>
        !type.IsAbstract && !type.IsArray && !type.IsGenericType && type != typeof(string)
        && type.Assembly != typeof(object).Assembly && !(type.Namespace?.StartsWith("System", StringComparison.Ordinal) ?? false);

    private static string DescribeCaptured(Type closure, FieldInfo field)
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

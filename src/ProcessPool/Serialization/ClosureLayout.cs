using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// How a compiler-generated closure (a lambda's "display class") is shipped: each field the lambda
/// reads (see <see cref="ClosureFieldScanner"/>), in metadata order, by its declared type. Nested closures (<c>CS$&lt;&gt;8__locals1</c>) are written recursively;
/// captured <see cref="CancellationToken"/>s are not sent, the worker substitutes the call's own token.
/// The closure types are non-public, so this reads and writes their fields directly instead of asking
/// MessagePack for a formatter.
/// </summary>
internal sealed class ClosureLayout
{
    private static readonly ConcurrentDictionary<(Type Closure, MethodInfo Lambda), ClosureLayout> s_layouts = new();
    private readonly MethodInfo _lambda;
    private readonly Field[] _fields;

    private ClosureLayout(Type type, MethodInfo lambda, IReadOnlySet<int>? usedFields)
    {
        Type = type;
        _lambda = lambda;
        _fields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => usedFields is null || usedFields.Contains(f.MetadataToken))
            .OrderBy(f => f.MetadataToken)
            .Select(f => new Field(f, KindOf(f.FieldType), Describe(type, f)))
            .ToArray();
    }

    private enum FieldKind : byte
    {
        Value,
        Closure,
        Token,
    }

    public Type Type { get; }

    public bool HasFields => _fields.Length > 0;

    /// <summary>The layout of closure <paramref name="type"/> as <paramref name="lambda"/> uses it: only the fields it reads.</summary>
    public static ClosureLayout For(Type type, MethodInfo lambda) =>
        s_layouts.GetOrAdd((type, lambda), static key => new ClosureLayout(key.Closure, key.Lambda, ClosureFieldScanner.UsedFieldTokens(key.Lambda)));

    /// <summary>True for the compiler's generated types: closures, lambda holders, local-function frames.</summary>
    public static bool IsCompilerGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    public void Write(ref MessagePackWriter writer, object closure)
    {
        writer.WriteArrayHeader(_fields.Length);
        for (int i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            object? value = field.Info.GetValue(closure);
            switch (field.Kind)
            {
                case FieldKind.Token:
                    writer.WriteNil();
                    break;
                case FieldKind.Closure when value is not null:
                    For(value.GetType(), _lambda).Write(ref writer, value);
                    break;
                default:
                    WriteValue(ref writer, closure, i, value);
                    break;
            }
        }
    }

    private void WriteValue(ref MessagePackWriter writer, object closure, int index, object? value)
    {
        var field = _fields[index];
        try
        {
            PayloadSerializer.Write(ref writer, field.Info.FieldType, value, field.Description);
        }
        catch (PayloadSerializationException e)
        {
            // Name every culprit at once: with a shared closure the first one found may not be the one the user expects.
            var message = new System.Text.StringBuilder(e.Message);
            foreach (var other in _fields.Skip(index + 1).Where(f => f.Kind == FieldKind.Value))
            {
                var otherValue = other.Info.GetValue(closure);
                if (TypeCheck.Problem(other.Info.FieldType, otherValue?.GetType()) is { } problem)
                {
                    message.Append($" Also {other.Description} of type {TypeCheck.Describe(otherValue?.GetType() ?? other.Info.FieldType)}: {problem}");
                }
            }

            message.Append(" All lambdas in one method share one closure object, so a variable captured by any of them"
                + " travels with each; copy what the submitted lambda needs into a local of its own, or pass it as an argument.");
            throw new PayloadSerializationException(e.MemberDescription, e.MemberType, message.ToString(), e.InnerException);
        }
    }

    public object Read(ref MessagePackReader reader, CancellationToken callToken)
    {
        int count = reader.ReadArrayHeader();
        if (count != _fields.Length)
        {
            throw new ProtocolException($"Closure {Type} arrived with {count} fields; this build has {_fields.Length}.");
        }

        object closure = RuntimeHelpers.GetUninitializedObject(Type);
        foreach (var field in _fields)
        {
            object? value = field.Kind switch
            {
                FieldKind.Token => ReadToken(ref reader, callToken),
                FieldKind.Closure when !reader.TryReadNil() => For(field.Info.FieldType, _lambda).Read(ref reader, callToken),
                FieldKind.Closure => null,
                _ => PayloadSerializer.Read(ref reader, field.Info.FieldType),
            };
            field.Info.SetValue(closure, value);
        }

        return closure;
    }

    private static CancellationToken ReadToken(ref MessagePackReader reader, CancellationToken callToken)
    {
        reader.Skip();
        return callToken;
    }

    private static FieldKind KindOf(Type fieldType) =>
        fieldType == typeof(CancellationToken) ? FieldKind.Token
        : fieldType.IsClass && IsCompilerGenerated(fieldType) && !typeof(Delegate).IsAssignableFrom(fieldType) ? FieldKind.Closure
        : FieldKind.Value;

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

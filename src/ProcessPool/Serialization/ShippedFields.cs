using System.Collections.Concurrent;
using System.Reflection;

namespace ProcessPool.Serialization;

/// <summary>
/// The instance fields of a type that travel when an object is shipped field by field: those of its
/// class and base classes, base first, in metadata order (parent and worker load the same build, so
/// they agree), less those marked <see cref="NotShippedAttribute"/> or <see cref="NonSerializedAttribute"/>
/// (directly, or on the property or primary-constructor parameter the compiler made the field for).
/// </summary>
internal static class ShippedFields
{
    private const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> s_fields = new();

    public static FieldInfo[] Of(Type type) => s_fields.GetOrAdd(type, static t => [.. AllOf(t).Where(f => !IsNotShipped(f))]);

    /// <summary>Every instance field of the type and its bases, base first, shipped or not.</summary>
    public static IEnumerable<FieldInfo> AllOf(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(object) && t != typeof(ValueType); t = t.BaseType)
        {
            chain.Push(t);
        }

        return chain.SelectMany(t => t.GetFields(Declared).OrderBy(f => f.MetadataToken));
    }

    public static bool IsNotShipped(FieldInfo field)
    {
        if (field.IsDefined(typeof(NotShippedAttribute), inherit: false) || field.IsDefined(typeof(NonSerializedAttribute), inherit: false))
        {
            return true;
        }

        // The compiler's fields: "<Name>k__BackingField" of an auto-property, "<name>P" of a captured
        // primary-constructor parameter. The attribute sits on the property or the parameter.
        string name = field.Name;
        int close = name.IndexOf('>', StringComparison.Ordinal);
        if (!name.StartsWith('<') || close < 2 || field.DeclaringType is not { } owner)
        {
            return false;
        }

        string member = name[1..close];
        string suffix = name[(close + 1)..];
        return suffix switch
        {
            // A record's positional parameter keeps its attribute on the parameter, not on the property.
            "k__BackingField" => (owner.GetProperty(member, Declared)?.IsDefined(typeof(NotShippedAttribute), inherit: false) ?? false)
                || MarkedParameter(owner, member),
            "P" => MarkedParameter(owner, member),
            _ => false,
        };
    }

    private static bool MarkedParameter(Type owner, string name) =>
        owner.GetConstructors(Declared).SelectMany(c => c.GetParameters())
            .Any(p => p.Name == name && p.IsDefined(typeof(NotShippedAttribute), inherit: false));
}

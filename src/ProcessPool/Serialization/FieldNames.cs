namespace ProcessPool.Serialization;

/// <summary>How fields are named in messages: as the user wrote them, not as the compiler named them.</summary>
internal static class FieldNames
{
    /// <summary>"field '_k' of Svc", "property 'Name' of Person", "parameter 'logger' of Svc".</summary>
    public static string Describe(System.Reflection.FieldInfo field, Type owner)
    {
        string name = field.Name;
        int close = name.IndexOf('>', StringComparison.Ordinal);
        string kind = "field";
        if (name.StartsWith('<') && close > 1)
        {
            kind = name.EndsWith("k__BackingField", StringComparison.Ordinal) ? "property"
                : name.EndsWith(">P", StringComparison.Ordinal) ? "primary-constructor parameter"
                : "field";
            name = name[1..close];
        }

        return $"{kind} '{name}' of {Friendly(owner)}";
    }

    /// <summary>A type's name as C# spells it, without namespaces: <c>Dictionary&lt;string, Point&gt;</c>.</summary>
    public static string Friendly(Type type)
    {
        if (type.IsArray)
        {
            return Friendly(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Friendly(underlying) + "?";
        }

        if (Keywords.TryGetValue(type, out string? keyword))
        {
            return keyword;
        }

        string name = type.Name;
        if (!type.IsGenericType)
        {
            return type.DeclaringType is { } outer && !type.IsGenericParameter ? Friendly(outer) + "." + name : name;
        }

        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return (tick > 0 ? name[..tick] : name) + "<" + string.Join(", ", type.GetGenericArguments().Select(Friendly)) + ">";
    }

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(object)] = "object", [typeof(string)] = "string", [typeof(bool)] = "bool", [typeof(byte)] = "byte",
        [typeof(sbyte)] = "sbyte", [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int",
        [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float",
        [typeof(double)] = "double", [typeof(decimal)] = "decimal", [typeof(char)] = "char",
    };
}

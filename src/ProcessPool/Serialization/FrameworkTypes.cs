using System.Reflection;

namespace ProcessPool.Serialization;

/// <summary>Tells the framework's types from the app's: only the app's own types travel field by field.</summary>
internal static class FrameworkTypes
{
    /// <summary>Types of .NET itself and of Microsoft.* / System.* packages (a logger, an HTTP client, a regex).</summary>
    public static bool IsFramework(Type type)
    {
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (definition.Assembly == typeof(object).Assembly)
        {
            return true;
        }

        string assembly = definition.Assembly.GetName().Name ?? "";
        return assembly.StartsWith("System.", StringComparison.Ordinal) || assembly.StartsWith("Microsoft.", StringComparison.Ordinal)
            || assembly is "System" or "mscorlib" or "netstandard";
    }

    /// <summary>
    /// A framework struct that is plain data (every field, however deep, a primitive, an enum or a string:
    /// <c>Vector3</c>, <c>Range</c>, <c>Color</c>), which can be copied field by field like the app's own.
    /// </summary>
    public static bool IsPlainDataStruct(Type type, int depth = 0) =>
        type.IsValueType && !type.IsPrimitive && !type.IsEnum && depth < 4
        && ShippedFields.AllOf(type).All(f => f.FieldType.IsPrimitive && f.FieldType != typeof(IntPtr) && f.FieldType != typeof(UIntPtr)
            || f.FieldType.IsEnum || f.FieldType == typeof(string) || f.FieldType == typeof(decimal)
            || IsPlainDataStruct(f.FieldType, depth + 1));

    /// <summary>The app's own types (and anonymous types and records) travel field by field.</summary>
    public static bool TravelsFieldByField(Type type) =>
        !type.IsInterface && !type.IsAbstract && !type.IsArray && !type.IsPointer && !type.IsByRefLike && !type.ContainsGenericParameters
        && !typeof(Delegate).IsAssignableFrom(type)
        && (!IsFramework(type) || IsPlainDataStruct(type));

    /// <summary>
    /// For an app class that derives from a framework collection: the fields it (or another app base
    /// class) declares, which MessagePack's collection formatter would drop; null when there are none.
    /// </summary>
    public static string? OwnStateBesidesElements(Type type)
    {
        if (!type.IsClass || IsFramework(type) || type.IsDefined(typeof(MessagePack.MessagePackObjectAttribute), inherit: false)
            || type.IsDefined(typeof(MessagePack.MessagePackFormatterAttribute), inherit: false))
        {
            return null;
        }

        var own = ShippedFields.Of(type).Where(f => f.DeclaringType is { } owner && !IsFramework(owner)).Select(f => FieldNames.Describe(f, f.DeclaringType!)).ToList();
        return own.Count == 0 ? null : string.Join(", ", own);
    }

    public static bool IsAnonymousOrGenerated(Type type) =>
        type.Name.StartsWith('<') || type.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), inherit: false);
}

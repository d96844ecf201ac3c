using System.Collections.Concurrent;

namespace ProcessPool.Serialization;

/// <summary>
/// This process's list of the types a payload may name (<see cref="ProcessPoolOptions.AllowedTypes"/>):
/// in a worker, those its parent sent. A parent's pools each use their own list instead, carried by
/// their <see cref="PayloadContext"/>. A name not listed is never resolved, so a payload cannot make a
/// process load or build a type nobody allowed.
/// </summary>
internal static class AllowedTypeRegistry
{
    private static readonly ConcurrentDictionary<string, Type> s_byName = new(StringComparer.Ordinal);

    public static void Add(Type type) => s_byName[type.AssemblyQualifiedName!] = type;

    /// <summary>The names of <paramref name="types"/>, as a worker receives them.</summary>
    public static string[] NamesOf(IEnumerable<Type> types) => [.. types.Select(t => t.AssemblyQualifiedName!)];

    public static bool Contains(Type type) => type.AssemblyQualifiedName is { } name && s_byName.ContainsKey(name);

    public static bool TryResolve(string name, out Type type) => s_byName.TryGetValue(name, out type!);
}

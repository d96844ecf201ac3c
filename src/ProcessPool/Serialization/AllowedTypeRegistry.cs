using System.Collections.Concurrent;

namespace ProcessPool.Serialization;

/// <summary>
/// The types a payload may name (<see cref="ProcessPoolOptions.AllowedTypes"/>). A worker reads and
/// writes those its parent sent (this class's process-wide list). The parent serializes a pool's calls
/// and reads their results inside <see cref="ForPool"/>, so each pool uses its own list only. A name not
/// listed is never resolved, so a payload cannot make a process load or build a type nobody allowed.
/// </summary>
internal static class AllowedTypeRegistry
{
    private static readonly ConcurrentDictionary<string, Type> s_byName = new(StringComparer.Ordinal);

    /// <summary>Whether a type can be named in a payload: concrete and closed (checked where the options are read).</summary>
    public static bool IsEligible(Type type) =>
        type.AssemblyQualifiedName is not null && !type.IsGenericTypeDefinition && !type.IsAbstract && !type.IsInterface;

    public static void Add(Type type) => s_byName[type.AssemblyQualifiedName!] = type;

    /// <summary>The names of <paramref name="types"/>, as a worker receives them.</summary>
    public static string[] NamesOf(IEnumerable<Type> types) => [.. types.Select(t => t.AssemblyQualifiedName!)];

    [ThreadStatic]
    private static ISet<Type>? t_writing;

    /// <summary>The allowed types of the pool this thread is serializing for (null in a worker, or outside <see cref="ForPool"/>).</summary>
    public static ISet<Type>? CurrentPool
    {
        get => t_writing;
        set => t_writing = value;
    }

    /// <summary>
    /// Whether a value of this run-time type is written as itself: in the parent, within
    /// <see cref="ForPool"/>, only that pool's own list counts (its workers know no other); in a worker,
    /// the process's list.
    /// </summary>
    public static bool MayWrite(Type type) =>
        t_writing is { } pool ? pool.Contains(type) : type.AssemblyQualifiedName is { } name && s_byName.ContainsKey(name);

    /// <summary>While the returned scope lives, this thread writes and reads payloads for a pool with these allowed types.</summary>
    public static WritingScope ForPool(ISet<Type> allowed)
    {
        var previous = t_writing;
        t_writing = allowed;
        return new WritingScope(previous);
    }

    internal readonly struct WritingScope(ISet<Type>? previous) : IDisposable
    {
        public void Dispose() => t_writing = previous;
    }

    public static bool TryResolve(string name, out Type type)
    {
        if (t_writing is { } pool)
        {
            type = pool.FirstOrDefault(t => t.AssemblyQualifiedName == name)!; // a pool's list is short
            return type is not null;
        }

        return s_byName.TryGetValue(name, out type!);
    }
}

using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace ProcessPool.Serialization;

/// <summary>Type names as they cross the process boundary (assembly-qualified) and their resolution in a worker.</summary>
internal static class TypeNames
{
    private static readonly ConcurrentDictionary<Type, string> s_names = new();
    private static readonly ConcurrentDictionary<string, Type> s_types = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> s_assemblyPaths = new(StringComparer.OrdinalIgnoreCase);
    private static int s_resolverInstalled;

    public static string Of(Type type) => s_names.GetOrAdd(type, static t => t.AssemblyQualifiedName ?? throw new ArgumentException($"Type {t} has no assembly-qualified name and cannot be sent to a worker."));

    /// <summary>Resolves a type name in this (worker) process, loading assemblies through the app's deps file.</summary>
    public static Type Resolve(string assemblyQualifiedName)
    {
        if (s_types.TryGetValue(assemblyQualifiedName, out var known))
        {
            return known;
        }

        Type type;
        try
        {
            type = Type.GetType(assemblyQualifiedName, throwOnError: true)!;
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new TypeLoadException($"The worker cannot load type '{assemblyQualifiedName}': {e.Message}", e);
        }

        s_types[assemblyQualifiedName] = type;
        return type;
    }

    /// <summary>
    /// Tells the worker where the parent loaded an assembly from, for assemblies that the app's deps
    /// file does not list (plug-ins loaded by path).
    /// </summary>
    public static void RememberAssemblyPath(string assemblyName, string? location)
    {
        if (Interlocked.Exchange(ref s_resolverInstalled, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += OnResolving;
        }

        if (!string.IsNullOrEmpty(location))
        {
            s_assemblyPaths.TryAdd(new AssemblyName(assemblyName).Name ?? assemblyName, location);
        }
    }

    private static Assembly? OnResolving(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is { } simple && s_assemblyPaths.TryGetValue(simple, out var path) && File.Exists(path))
        {
            return context.LoadFromAssemblyPath(path);
        }

        string candidate = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}

using System.Reflection;
using System.Runtime.ExceptionServices;
using ProcessPool.Protocol;

namespace ProcessPool;

/// <summary>
/// Turns an exception that came back from a worker into one the caller can catch: the same type
/// where it can be rebuilt (so <c>catch (ArgumentException)</c> works), with the remote stack trace
/// attached; otherwise a <see cref="RemoteTaskException"/> naming the remote type.
/// </summary>
internal static class RemoteExceptionFactory
{
    public static Exception Create(ExceptionInfo info)
    {
        var inner = info.Inner is null ? null : Create(info.Inner);
        var exception = TryRebuild(info, inner) ?? new RemoteTaskException(ShortName(info.TypeName), info.Message, info.StackTrace, inner);
        if (!string.IsNullOrEmpty(info.StackTrace))
        {
            ExceptionDispatchInfo.SetRemoteStackTrace(exception, info.StackTrace + Environment.NewLine + "   --- in the worker process ---");
        }

        return exception;
    }

    private static string ShortName(string assemblyQualifiedName)
    {
        int bracketDepth = 0;
        for (int i = 0; i < assemblyQualifiedName.Length; i++)
        {
            switch (assemblyQualifiedName[i])
            {
                case '[': bracketDepth++; break;
                case ']': bracketDepth--; break;
                case ',' when bracketDepth == 0: return assemblyQualifiedName[..i];
            }
        }

        return assemblyQualifiedName;
    }

    private static Exception? TryRebuild(ExceptionInfo info, Exception? inner)
    {
        Type? type;
        try
        {
            // Resolved only among the assemblies this process has already loaded: a name from a worker
            // never makes the parent load an assembly (and run its initializers).
            type = Type.GetType(info.TypeName, LoadedAssembly, typeResolver: null, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or ArgumentException or TypeLoadException)
        {
            return null;
        }

        // The name comes from the worker: an open generic type resolves but cannot be constructed.
        if (type is null || type.IsAbstract || type.ContainsGenericParameters || !typeof(Exception).IsAssignableFrom(type))
        {
            return null;
        }

        try
        {
            return Construct(type, info, inner);
        }
        catch (TargetInvocationException)
        {
            return null;
        }
    }

    private static Assembly? LoadedAssembly(AssemblyName name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => AssemblyName.ReferenceMatchesDefinition(name, a.GetName()));

    private static Exception? Construct(Type type, ExceptionInfo info, Exception? inner)
    {
        if (info.ParamName is { } param && typeof(ArgumentException).IsAssignableFrom(type))
        {
            // Message already ends with " (Parameter 'x')"; the constructors below add it again.
            string suffix = $" (Parameter '{param}')";
            string message = info.Message.EndsWith(suffix, StringComparison.Ordinal) ? info.Message[..^suffix.Length] : info.Message;
            if (type == typeof(ArgumentNullException) || type == typeof(ArgumentOutOfRangeException))
            {
                return (Exception?)Activator.CreateInstance(type, param, message);
            }

            if (type == typeof(ArgumentException))
            {
                return new ArgumentException(message, param, inner);
            }
        }

        if (inner is not null && type.GetConstructor([typeof(string), typeof(Exception)]) is { } withInner)
        {
            return (Exception)withInner.Invoke([info.Message, inner]);
        }

        return type.GetConstructor([typeof(string)]) is { } withMessage ? (Exception)withMessage.Invoke([info.Message]) : null;
    }
}

using MessagePack;

namespace ProcessPool.Serialization;

/// <summary>
/// What to tell a user whose value cannot travel: only advice that works. AllowedTypes is suggested
/// only for the app's own types, and only once a trial shows the value would then travel; framework
/// objects get what to do instead.
/// </summary>
internal static class Advice
{
    /// <summary>A value declared as <paramref name="declared"/> (object, an interface, an abstract or base class) holds an unlisted <paramref name="runtime"/>.</summary>
    public static string ForUndeclaredType(Type declared, Type runtime, Type culprit, object value, PayloadContext context)
    {
        string holds = $"a value declared as {FieldNames.Friendly(declared)} holds a {TypeCheck.Describe(runtime)}";
        if (FrameworkTypes.IsAnonymousOrGenerated(culprit))
        {
            return $"{holds}; an anonymous or compiler-generated type cannot be listed in ProcessPoolOptions.AllowedTypes. Declare a record for it, or declare the value with its own type.";
        }

        if (FrameworkTypes.IsFramework(culprit) && typeof(System.Collections.IEnumerable).IsAssignableFrom(culprit))
        {
            return $"{holds}; behind {FieldNames.Friendly(declared)}, only the common collections travel as themselves (arrays, List, Dictionary, HashSet, "
                + "the sorted, concurrent and immutable collections, tuples). Convert it (ToList(), ToArray(), ToDictionary()), or declare the value with its own type.";
        }

        if (FrameworkTypes.IsFramework(culprit) && !culprit.IsEnum)
        {
            return $"{holds}. {ForFrameworkType(culprit)}";
        }

        if (culprit == runtime && TrialFailure(runtime, value, context) is { } blocked)
        {
            return $"{holds}, which could travel as itself only if ProcessPoolOptions.AllowedTypes listed it, and it cannot travel even then: {blocked}";
        }

        string part = culprit == runtime ? "" : $" (its part {TypeCheck.Describe(culprit)} is not)";
        return $"{holds}{part}. Such a value travels as its own type only if ProcessPoolOptions.AllowedTypes lists that type: add typeof({FieldNames.Friendly(culprit)}) to AllowedTypes, or declare the value as {FieldNames.Friendly(runtime)}.";
    }

    /// <summary>Why a framework object does not travel, and what to do instead.</summary>
    public static string ForFrameworkType(Type type)
    {
        string name = TypeCheck.Describe(type);
        string? instead = type.FullName switch
        {
            "System.Random" or "System.Random+CompatSeedImpl" or "System.Random+XoshiroImpl" =>
                "Create the Random inside the task (pass a seed as an argument if the numbers must be reproducible).",
            "System.Text.RegularExpressions.Regex" =>
                "Pass the pattern (and its RegexOptions) and build the Regex inside the task, or keep it in a static readonly field of the task's class.",
            "System.Net.Http.HttpClient" or "System.Net.Http.HttpMessageInvoker" =>
                "Create the HttpClient inside the task, or once per worker in ProcessPoolOptions.Initializer.",
            _ when type.Namespace?.StartsWith("System.Text.Json", StringComparison.Ordinal) ?? false =>
                "Send the JSON text (JsonElement.GetRawText(), JsonNode.ToJsonString()) and parse it inside the task, or deserialize it into your own type first.",
            _ when type.Namespace == "Microsoft.Extensions.Logging" || type.GetInterfaces().Any(i => i.FullName == "Microsoft.Extensions.Logging.ILogger") =>
                "A logger writes to this process's providers: log in the parent from the task's result, or create a logger inside the worker (for example in ProcessPoolOptions.Initializer).",
            _ => null,
        };
        return $"{name} is a framework object whose private state ProcessPool does not copy (it may hold handles, caches or services of this process). "
            + (instead ?? "Create it inside the task, or pass the plain data it is made from (a string, numbers, a path).");
    }

    // Would the value travel if its type were allowed? Tried into a scratch buffer, arrays inline.
    private static string? TrialFailure(Type type, object value, PayloadContext context)
    {
        if (!FrameworkTypes.TravelsFieldByField(type))
        {
            return null;
        }

        var inline = context.BeginWrite(sharedMemory: false);
        try
        {
            var writer = new MessagePackWriter(new System.Buffers.ArrayBufferWriter<byte>());
            PayloadSerializer.WriteBoxed(ref writer, type, value, inline);
            return null;
        }
        catch (PayloadGraphException e)
        {
            return e.Describe();
        }
        catch (Exception e) when (e is MessagePackSerializationException or InvalidOperationException or NotSupportedException)
        {
            return PayloadGraphException.RootMessage(e);
        }
    }
}

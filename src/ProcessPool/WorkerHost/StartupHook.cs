using ProcessPool.WorkerHost;

/// <summary>
/// Turns a run of the app's own executable into a ProcessPool worker, for apps that ship no <c>dotnet</c>
/// to run ProcessPool.dll with (self-contained and single-file apps). The pool names this assembly in
/// <c>DOTNET_STARTUP_HOOKS</c> and passes the worker's endpoint and id in the environment; the runtime
/// calls <see cref="Initialize"/> before the app's Main, which then never runs. In any other process the
/// variables are absent and it returns at once.
/// </summary>
/// <remarks>
/// The runtime finds a startup hook by this exact name, outside any namespace.
/// </remarks>
internal static class StartupHook
{
    public const string HooksVariable = "DOTNET_STARTUP_HOOKS";
    public const string EndpointVariable = "PROCESSPOOL_WORKER_ENDPOINT";
    public const string WorkerIdVariable = "PROCESSPOOL_WORKER_ID";
    public const string OwnDescendantsVariable = "PROCESSPOOL_WORKER_OWN_DESCENDANTS";

    /// <summary>The entry in <c>DOTNET_STARTUP_HOOKS</c>: a simple name, which every host resolves, single-file bundles included.</summary>
    public static string Name { get; } = typeof(StartupHook).Assembly.GetName().Name!;

    /// <summary>The runtime calls this before the app's Main.</summary>
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is not { Length: > 0 } endpoint)
        {
            return;
        }

        string workerId = Environment.GetEnvironmentVariable(WorkerIdVariable) ?? "";
        bool ownDescendants = Environment.GetEnvironmentVariable(OwnDescendantsVariable) == "1";

        // The processes tasks start are themselves, not workers.
        WorkerEnvironment.Set(EndpointVariable, null);
        WorkerEnvironment.Set(WorkerIdVariable, null);
        WorkerEnvironment.Set(OwnDescendantsVariable, null);
        WorkerEnvironment.Set(HooksVariable, Without(Environment.GetEnvironmentVariable(HooksVariable)));
        Environment.Exit(WorkerProgram.Run(endpoint, workerId, ownDescendants));
    }

    /// <summary>The app's own hooks, then this one (last, as ProcessPool.dll's Main runs after them in a <c>dotnet exec</c> worker).</summary>
    public static string With(string? hooks) => string.IsNullOrEmpty(hooks) ? Name : hooks + Path.PathSeparator + Name;

    /// <summary>The app's own hooks, as they were before <see cref="With"/>.</summary>
    public static string? Without(string? hooks)
    {
        string suffix = Path.PathSeparator + Name;
        return hooks == Name ? null
            : hooks is not null && hooks.EndsWith(suffix, StringComparison.Ordinal) ? hooks[..^suffix.Length]
            : hooks;
    }
}

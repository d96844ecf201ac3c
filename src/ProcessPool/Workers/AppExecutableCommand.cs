using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ProcessPool.Workers;

/// <summary>
/// A worker that is the app's own executable, for apps that ship no <c>dotnet</c> (self-contained,
/// single-file): <see cref="StartupHook"/>, named in <c>DOTNET_STARTUP_HOOKS</c>, runs the worker loop
/// before the app's Main and exits, so the app's code runs only as the tasks it is sent.
/// </summary>
internal sealed class AppExecutableCommand : WorkerCommand
{
    private const string StartupHookSwitch = "System.StartupHookProvider.IsSupported";

    private readonly string _executable;

    private AppExecutableCommand(string executable) => _executable = executable;

    public override string FileName => _executable;

    private static bool StartupHooksDisabled => AppContext.TryGetSwitch(StartupHookSwitch, out bool supported) && !supported;

    /// <summary>
    /// The command for an app whose workers can start no other way, for the reason <paramref name="why"/>
    /// gives; refused with an exception that says what to do when this app cannot run it.
    /// </summary>
    public static AppExecutableCommand Create(string why)
    {
        if (StartupHooksDisabled)
        {
            throw new PlatformNotSupportedException($"ProcessPool cannot start workers: {why}, so its workers are the app's own executable, started with ProcessPool's startup hook, and this app disables startup hooks ({StartupHookSwitch}=false, the default for trimmed apps). Set <StartupHookSupport>true</StartupHookSupport> in the app's project file.");
        }

        return TryCreate() ?? throw new PlatformNotSupportedException($"ProcessPool cannot start workers: {why}, so its workers are the app's own executable, but this process ('{Environment.ProcessPath}') is not the executable in the app's directory ('{AppContext.BaseDirectory}'). Start the app through its own executable.");
    }

    /// <summary>The command, or null when startup hooks are off or this process is not the app's own executable (but, say, a native host that loaded the runtime).</summary>
    [DynamicDependency(nameof(StartupHook.Initialize), typeof(StartupHook))] // called by the runtime through reflection: trimming must keep it
    public static AppExecutableCommand? TryCreate() =>
        !StartupHooksDisabled
        && Environment.ProcessPath is { } self
        && Path.GetDirectoryName(self) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(AppContext.BaseDirectory))
            ? new AppExecutableCommand(self)
            : null;

    protected override void AddWorkerArguments(ProcessStartInfo info, WorkerEndpoint endpoint, int workerId, bool ownDescendants)
    {
        info.Environment[StartupHook.HooksVariable] = StartupHook.With(info.Environment.TryGetValue(StartupHook.HooksVariable, out string? hooks) ? hooks : null);
        info.Environment[StartupHook.EndpointVariable] = endpoint.SocketPath(workerId);
        info.Environment[StartupHook.WorkerIdVariable] = workerId.ToString(CultureInfo.InvariantCulture);
        if (ownDescendants)
        {
            info.Environment[StartupHook.OwnDescendantsVariable] = "1";
        }
    }
}

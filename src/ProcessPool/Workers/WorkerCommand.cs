using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProcessPool.WorkerHost;

namespace ProcessPool.Workers;

/// <summary>
/// How to start a worker process, worked out once per process from how the app is deployed. A
/// framework-dependent app's workers are <c>dotnet exec ProcessPool.dll</c> (<see cref="DotnetExecCommand"/>);
/// a self-contained or single-file app ships no <c>dotnet</c>, so its workers are the app's own executable,
/// which ProcessPool's startup hook turns into a worker before the app's Main (<see cref="AppExecutableCommand"/>).
/// </summary>
internal abstract class WorkerCommand
{
    private static readonly Lazy<WorkerCommand> s_current = new(Discover);

    public static WorkerCommand Current => s_current.Value;

    /// <summary>The program a worker runs.</summary>
    public abstract string FileName { get; }

    /// <summary>
    /// Makes <paramref name="info"/> start worker #<paramref name="workerId"/> of the pool at
    /// <paramref name="endpoint"/>; <paramref name="ownDescendants"/>: the worker holds on to the processes
    /// its tasks start (<see cref="ProcessPoolOptions.KillWorkerDescendants"/>). Called after the pool's
    /// own environment settings, which it extends.
    /// </summary>
    public void Apply(ProcessStartInfo info, WorkerEndpoint endpoint, int workerId, bool ownDescendants)
    {
        info.FileName = FileName;
        AddWorkerArguments(info, endpoint, workerId, ownDescendants);
        info.Environment[WorkerProgram.TokenVariable] = endpoint.Token;
    }

    /// <summary>The arguments or environment variables that tell the new process which worker of which pool it is.</summary>
    protected abstract void AddWorkerArguments(ProcessStartInfo info, WorkerEndpoint endpoint, int workerId, bool ownDescendants);

    private static WorkerCommand Discover()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PlatformNotSupportedException("ProcessPool cannot run in a NativeAOT app: workers load the app's assemblies into a regular .NET runtime. Publish the app framework-dependent or self-contained instead.");
        }

        if (Environment.GetEnvironmentVariable(StartupHook.EndpointVariable) is not null)
        {
            // Started as a worker, yet the app's Main runs: a pool here would start workers like itself, without end.
            throw new InvalidOperationException($"This process was started as a ProcessPool worker, but ProcessPool's startup hook did not run (is '{StartupHook.Name}' missing from {StartupHook.HooksVariable}?), so the app's Main ran instead; it starts no workers of its own.");
        }

        string workerAssembly = typeof(WorkerProgram).Assembly.Location;
        if (workerAssembly.Length == 0)
        {
            return AppExecutableCommand.Create("this single-file app has no ProcessPool.dll file for 'dotnet' to run");
        }

        if (IsSelfContained(RuntimeEnvironment.GetRuntimeDirectory(), AppContext.BaseDirectory))
        {
            return AppExecutableCommand.Create("this self-contained app ships no 'dotnet' to run ProcessPool.dll with");
        }

        return DotnetExecCommand.TryCreate(workerAssembly)
            ?? AppExecutableCommand.TryCreate() // an app started through its apphost can be its own worker host too
            ?? throw new FileNotFoundException("ProcessPool cannot find the 'dotnet' host to start workers. Set DOTNET_HOST_PATH to its full path.");
    }

    /// <summary>
    /// A self-contained app carries its runtime in its own directory: the runtime's directory is the app's
    /// (not merely inside it: an app folder may hold a whole dotnet installation the app runs on).
    /// </summary>
    internal static bool IsSelfContained(string runtimeDirectory, string appDirectory) =>
        string.Equals(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(runtimeDirectory)),
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(appDirectory)),
            StringComparison.Ordinal);
}

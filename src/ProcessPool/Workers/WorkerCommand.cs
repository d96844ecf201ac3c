using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProcessPool.WorkerHost;

namespace ProcessPool.Workers;

/// <summary>
/// How to start a worker: <c>dotnet exec --runtimeconfig &lt;app&gt;.runtimeconfig.json --depsfile
/// &lt;app&gt;.deps.json ProcessPool.dll</c>, so that the worker resolves exactly the parent's assemblies
/// (under <c>dotnet test</c> the "app" is the test assembly). Worked out once per process.
/// </summary>
internal sealed record WorkerCommand(string DotnetPath, string? RuntimeConfigPath, string? DepsFilePath, string WorkerAssemblyPath)
{
    private static readonly Lazy<WorkerCommand> s_current = new(Discover);

    public static WorkerCommand Current => s_current.Value;

    /// <param name="endpoint">The socket the worker connects to.</param>
    /// <param name="workerId">The pool's number for the worker.</param>
    /// <param name="ownDescendants">Whether the worker holds on to the processes its tasks start (<see cref="ProcessPoolOptions.KillWorkerDescendants"/>).</param>
    public IEnumerable<string> Arguments(string endpoint, int workerId, bool ownDescendants)
    {
        yield return "exec";
        if (RuntimeConfigPath is not null)
        {
            yield return "--runtimeconfig";
            yield return RuntimeConfigPath;
        }

        if (DepsFilePath is not null)
        {
            yield return "--depsfile";
            yield return DepsFilePath;
        }

        yield return WorkerAssemblyPath;
        yield return WorkerProgram.WorkerFlag;
        yield return endpoint;
        yield return workerId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ownDescendants)
        {
            yield return WorkerProgram.OwnDescendantsFlag;
        }
    }

    private static WorkerCommand Discover()
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new PlatformNotSupportedException("ProcessPool cannot run in a NativeAOT app: workers load the app's assemblies into a regular .NET runtime. Publish the app framework-dependent instead.");
        }

        string workerAssembly = typeof(WorkerProgram).Assembly.Location;
        if (string.IsNullOrEmpty(workerAssembly))
        {
            throw new PlatformNotSupportedException("ProcessPool cannot start workers from a single-file app yet: ProcessPool.dll has no location on disk. Publish the app without PublishSingleFile.");
        }

        string? deps = FindAppDepsFile();
        string? runtimeConfig = deps is null ? null : Path.ChangeExtension(Path.ChangeExtension(deps, null), ".runtimeconfig.json");
        if (runtimeConfig is not null && !File.Exists(runtimeConfig))
        {
            runtimeConfig = null;
        }

        return new WorkerCommand(FindDotnet(), runtimeConfig ?? WriteFallbackRuntimeConfig(), deps, workerAssembly);
    }

    /// <summary>The app's deps file: the first entry of APP_CONTEXT_DEPS_FILES that is not a shared framework's.</summary>
    private static string? FindAppDepsFile()
    {
        string frameworkRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", ".."));
        return (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?
            .Split(';', StringSplitOptions.RemoveEmptyEntries) // ';' on every OS
            .Select(Path.GetFullPath)
            .FirstOrDefault(p => File.Exists(p) && !p.StartsWith(frameworkRoot, StringComparison.Ordinal));
    }

    /// <summary>The dotnet host: this process if it is dotnet, DOTNET_HOST_PATH, the runtime's install root, PATH.</summary>
    private static string FindDotnet()
    {
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(exe, StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        string? coreLib = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (coreLib is not null && Path.Combine(coreLib, "..", "..", "..", exe) is var root && File.Exists(root))
        {
            return Path.GetFullPath(root);
        }

        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("ProcessPool cannot find the 'dotnet' host to start workers. Set DOTNET_HOST_PATH to its full path.");
    }

    /// <summary>For an app without a runtimeconfig.json: the shared framework this process runs on.</summary>
    private static string WriteFallbackRuntimeConfig()
    {
        string path = Path.Combine(Path.GetTempPath(), $"processpool-{Environment.Version}.runtimeconfig.json");
        if (!File.Exists(path))
        {
            string json = "{\"runtimeOptions\":{\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + Environment.Version + "\"}}}";
            string temp = path + "." + Environment.ProcessId;
            File.WriteAllText(temp, json);
            File.Move(temp, path, overwrite: true);
        }

        return path;
    }
}

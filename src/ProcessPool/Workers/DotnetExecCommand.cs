using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ProcessPool.WorkerHost;

namespace ProcessPool.Workers;

/// <summary>
/// A framework-dependent app's worker: <c>dotnet exec --runtimeconfig &lt;app&gt;.runtimeconfig.json
/// --depsfile &lt;app&gt;.deps.json ProcessPool.dll --processpool-worker &lt;socket&gt; &lt;id&gt;</c>, so that
/// the worker resolves exactly the parent's assemblies (under <c>dotnet test</c> the "app" is the test assembly).
/// </summary>
internal sealed class DotnetExecCommand : WorkerCommand
{
    private readonly string _dotnetPath;
    private readonly string? _runtimeConfigPath;
    private readonly string? _depsFilePath;
    private readonly string _workerAssemblyPath;

    private DotnetExecCommand(string dotnetPath, string? runtimeConfigPath, string? depsFilePath, string workerAssemblyPath)
    {
        _dotnetPath = dotnetPath;
        _runtimeConfigPath = runtimeConfigPath;
        _depsFilePath = depsFilePath;
        _workerAssemblyPath = workerAssemblyPath;
    }

    public override string FileName => _dotnetPath;

    /// <summary>The command for this app, or null when no <c>dotnet</c> host can be found.</summary>
    public static WorkerCommand? TryCreate(string workerAssembly)
    {
        if (FindDotnet() is not { } dotnet)
        {
            return null;
        }

        string? deps = FindAppDepsFile();
        string? runtimeConfig = deps is null ? null : Path.ChangeExtension(Path.ChangeExtension(deps, null), ".runtimeconfig.json");
        return new DotnetExecCommand(dotnet, File.Exists(runtimeConfig) ? runtimeConfig : null, deps, workerAssembly);
    }

    protected override void AddWorkerArguments(ProcessStartInfo info, WorkerEndpoint endpoint, int workerId, bool ownDescendants)
    {
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add("--runtimeconfig");
        info.ArgumentList.Add(_runtimeConfigPath ?? WriteFallbackRuntimeConfig(endpoint.Directory));
        if (_depsFilePath is not null)
        {
            info.ArgumentList.Add("--depsfile");
            info.ArgumentList.Add(_depsFilePath);
        }

        info.ArgumentList.Add(_workerAssemblyPath);
        info.ArgumentList.Add(WorkerProgram.WorkerFlag);
        info.ArgumentList.Add(endpoint.SocketPath(workerId));
        info.ArgumentList.Add(workerId.ToString(CultureInfo.InvariantCulture));
        if (ownDescendants)
        {
            info.ArgumentList.Add(WorkerProgram.OwnDescendantsFlag);
        }
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
    private static string? FindDotnet()
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

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, exe))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// For an app without a runtimeconfig.json: the shared framework this process runs on, in the pool's
    /// private directory, because a worker honours whatever a runtimeconfig.json says.
    /// </summary>
    private static string WriteFallbackRuntimeConfig(string poolDirectory)
    {
        string path = Path.Combine(poolDirectory, "fallback.runtimeconfig.json");
        if (!File.Exists(path))
        {
            string json = "{\"runtimeOptions\":{\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + Environment.Version + "\"}}}";
            string temp = $"{path}.{Path.GetRandomFileName()}";
            File.WriteAllText(temp, json);
            File.Move(temp, path, overwrite: true); // workers starting together each see a whole file
        }

        return path;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Deployment;

/// <summary>
/// The library packed once into a local feed, and one app that references only that package, built or
/// published once per deployment kind and shared by the tests of the <see cref="SharedConsumerApps"/>.
/// The app (<c>ConsumerApp/Program.cs</c>) reports, one <c>key=value</c> per line, what its pool
/// computed and what its workers saw. Everything it leaves, the NuGet cache's copy of the package
/// included, goes when the tests are done.
/// </summary>
public sealed class ConsumerApps : IAsyncLifetime
{
    /// <summary>Restores may download runtime packs; still, no child may hang the run.</summary>

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _outputs = new();
    private readonly string _version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public string Work { get; } = Directory.CreateTempSubdirectory("pp-package-").FullName;

    private string Project => Path.Combine(Work, "app");

    private string PackagesFolder => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "processpool", _version);

    public async Task InitializeAsync()
    {
        string feed = Path.Combine(Work, "feed");
        await Repository.Dotnet(Repository.Root(), "pack", "src/ProcessPool/ProcessPool.csproj", "-c", "Release", "-o", feed, $"-p:Version={_version}", "-p:PackageOutputPath=" + feed);

        Directory.CreateDirectory(Project);
        await File.WriteAllTextAsync(Path.Combine(Project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(Project, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- The app reports where its workers loaded ProcessPool from, which is nowhere in a single-file app. -->
                <NoWarn>$(NoWarn);IL3000</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ProcessPool" Version="{_version}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "ConsumerApp", "Program.cs"), Path.Combine(Project, "Program.cs"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Work, recursive: true);
        if (Directory.Exists(PackagesFolder))
        {
            Directory.Delete(PackagesFolder, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The app built with <c>dotnet &lt;arguments&gt; -c Release -o &lt;dir&gt;</c> (build or publish), once
    /// per <paramref name="name"/>; returns the output directory.
    /// </summary>
    public Task<string> OutputAsync(string name, params string[] arguments) =>
        _outputs.GetOrAdd(name, _ => new Lazy<Task<string>>(async () =>
        {
            string output = Path.Combine(Work, name);
            await Repository.Dotnet(Project, [.. arguments, "-c", "Release", "-o", output]);
            return output;
        })).Value;

    /// <summary>
    /// Runs <paramref name="program"/> to its end within <see cref="Bounded.Timeout"/>, with the
    /// environment <paramref name="environment"/> builds from this process's; a run that outlives its
    /// bound is killed with everything it started (its workers included). Returns the app's report.
    /// </summary>
    public static async Task<AppReport> RunAsync(string program, IEnumerable<string> arguments, Action<IDictionary<string, string?>>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        environment?.Invoke(info.Environment);
        var (exitCode, stdout, stderr) = await Repository.RunBoundedAsync(info, Bounded.Timeout);
        return new AppReport(exitCode, stdout, stderr);
    }
}

/// <summary>The tests that share the packed library and its consumer app's builds; they run one at a time.</summary>
[CollectionDefinition(nameof(SharedConsumerApps))]
public sealed class SharedConsumerApps : ICollectionFixture<ConsumerApps>;

/// <summary>What a run of the consumer app printed: its exit code, its output, and its report's <c>key=value</c> lines.</summary>
public sealed record AppReport(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The app ended well, its Submit, capturing lambda and Map gave the right results, and a process other than the app's computed them.</summary>
    public void AssertTasksRanInAnotherProcess()
    {
        Assert.True(ExitCode == 0, $"The app failed ({ExitCode}):\n{Stdout}{Stderr}");
        Assert.Equal("49,109,0,1,4,9,16,25,36,49,64,81", this["results"]);
        Assert.NotEqual(this["parent-pid"], this["worker-pid"]);
    }

    public string this[string key] =>
        Stdout.Split('\n').Select(line => line.TrimEnd('\r')).FirstOrDefault(line => line.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..]
        ?? throw new Xunit.Sdk.XunitException($"The app reported no '{key}' (exit code {ExitCode}). Its output:\n{Stdout}{Stderr}");
}

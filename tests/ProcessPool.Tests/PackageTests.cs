using System.Diagnostics;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests;

/// <summary>
/// The library works when consumed as a NuGet package, not only through a project reference: the worker
/// host must be found inside the package. Packs the library to a local feed and builds a fresh app
/// that references only that package.
/// </summary>
public sealed class PackageTests
{
    [Fact]
    public async Task A_fresh_app_that_references_only_the_package_can_submit_and_map()
    {
        string root = RepositoryRoot();
        string work = Directory.CreateTempSubdirectory("pp-package-").FullName;
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        string packagesFolder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "processpool", version);
        try
        {
            string feed = Path.Combine(work, "feed");
            await Dotnet(root, "pack", "src/ProcessPool/ProcessPool.csproj", "-c", "Release", "-o", feed, $"-p:Version={version}", "-p:PackageOutputPath=" + feed);

            string app = Path.Combine(work, "app");
            Directory.CreateDirectory(app);
            await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "App.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="ProcessPool" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
                using ProcessPool;

                await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
                int offset = 100;
                int square = await pool.SubmitAsync(Functions.Square, 7);
                int shifted = await pool.SubmitAsync(() => Functions.Square(3) + offset);
                int pid = await pool.SubmitAsync(() => Environment.ProcessId);
                var mapped = new List<int>();
                await foreach (int r in pool.MapAsync(Functions.Square, Enumerable.Range(0, 10)))
                {
                    mapped.Add(r);
                }

                Console.WriteLine($"square={square} shifted={shifted} map={string.Join(',', mapped)} other-process={pid != Environment.ProcessId}");

                static class Functions
                {
                    public static int Square(int x) => x * x;
                }
                """);

            string output = await Dotnet(app, "run", "-c", "Release");
            Assert.Contains("square=49 shifted=109 map=0,1,4,9,16,25,36,49,64,81 other-process=True", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            if (Directory.Exists(packagesFolder))
            {
                Directory.Delete(packagesFolder, recursive: true);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcessPool.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with ProcessPool.slnx) was not found above " + AppContext.BaseDirectory);
    }

    private static async Task<string> Dotnet(string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(Processes.DotnetPath())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Keep the test host's MSBuild settings out of the child build.
        info.Environment.Remove("MSBuildSDKsPath");
        info.Environment.Remove("MSBuildExtensionsPath");
        info.Environment.Remove("MSBUILD_EXE_PATH");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        string output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{output}");
        return output;
    }
}

using System.Diagnostics;

namespace ProcessPool.Tests.Support;

/// <summary>The repository the tests run from, and the SDK, for tests that build and run apps the way users do.</summary>
internal static class Repository
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(5);

    public static string Root()
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

    /// <summary>Runs <c>dotnet</c> with the arguments, within five minutes; returns stdout and stderr, or fails the test with them.</summary>
    public static async Task<string> Dotnet(string workingDirectory, params string[] arguments)
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
        var (exitCode, stdout, stderr) = await RunBoundedAsync(info, DotnetTimeout);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', arguments)} failed ({exitCode}):\n{stdout}{stderr}");
        return stdout + stderr;
    }

    /// <summary>Runs a process to its end within <paramref name="timeout"/>; one that outlives it is killed with everything it started.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunBoundedAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(timeout);
            Assert.Fail($"{info.FileName} {string.Join(' ', info.ArgumentList)} did not finish within {timeout}; killed. Its output:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

using System.Runtime.InteropServices;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Deployment;

/// <summary>
/// Workers start however the app is deployed: self-contained and single-file apps, which ship no
/// <c>dotnet</c>, start them from their own executable; and nothing the workers rely on comes from a
/// place other users can write to.
/// </summary>
[Collection(nameof(SharedConsumerApps))]
public sealed class DeploymentTests(ConsumerApps apps)
{
    [Fact]
    public async Task A_self_contained_app_starts_workers_from_its_own_executable_with_no_dotnet_on_the_path()
    {
        string output = await apps.OutputAsync("self-contained", "publish", "-r", "linux-x64", "--self-contained");

        var report = await ConsumerApps.RunAsync(Path.Combine(output, "App"), [], WithoutDotnet);

        report.AssertTasksRanInAnotherProcess();
        Assert.Equal(Path.Combine(output, "App"), report["worker-executable"]);
        AssertWorkersLeftNoTrace(report);
    }

    [Fact]
    public async Task A_single_file_app_starts_workers_from_its_own_executable_with_no_dotnet_on_the_path()
    {
        string output = await apps.OutputAsync("single-file", "publish", "-r", "linux-x64", "--self-contained", "-p:PublishSingleFile=true");
        Assert.False(File.Exists(Path.Combine(output, "ProcessPool.dll")), "ProcessPool.dll is inside the single file");

        var report = await ConsumerApps.RunAsync(Path.Combine(output, "App"), [], WithoutDotnet);

        report.AssertTasksRanInAnotherProcess();
        Assert.Equal(Path.Combine(output, "App"), report["worker-executable"]);
        Assert.Equal("(bundled)", report["worker-library"]);
        AssertWorkersLeftNoTrace(report);
    }

    [Fact]
    public async Task A_self_contained_app_with_startup_hooks_turned_off_is_told_what_to_set()
    {
        string output = await apps.OutputAsync("self-contained-without-startup-hooks", "publish", "-r", "linux-x64", "--self-contained", "-p:StartupHookSupport=false");

        var report = await ConsumerApps.RunAsync(Path.Combine(output, "App"), [], WithoutDotnet);

        Assert.NotEqual(0, report.ExitCode);
        Assert.Contains("PlatformNotSupportedException", report.Stderr, StringComparison.Ordinal);
        Assert.Contains("disables startup hooks", report.Stderr, StringComparison.Ordinal);
        Assert.Contains("<StartupHookSupport>true</StartupHookSupport>", report.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_framework_dependent_app_whose_dotnet_cannot_be_found_starts_workers_from_its_apphost()
    {
        string output = await apps.OutputAsync("build-linux-x64", "build", "-r", "linux-x64");

        // A .NET installation without the 'dotnet' executable: only the host libraries and the runtime.
        string installed = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string root = Path.Combine(apps.Work, "dotnet-root-without-dotnet");
        CopyDirectory(Path.Combine(installed, "host"), Path.Combine(root, "host"));
        CopyDirectory(RuntimeEnvironment.GetRuntimeDirectory(), Path.Combine(root, "shared", "Microsoft.NETCore.App", Environment.Version.ToString()));

        var report = await ConsumerApps.RunAsync(Path.Combine(output, "App"), [], environment =>
        {
            WithoutDotnet(environment);
            environment["DOTNET_ROOT"] = root;
        });

        report.AssertTasksRanInAnotherProcess();
        Assert.Equal(Path.Combine(output, "App"), report["worker-executable"]);
        AssertWorkersLeftNoTrace(report);
    }

    [Fact]
    public async Task Without_a_runtimeconfig_json_workers_use_one_in_the_pools_private_directory_not_one_planted_in_the_temp_directory()
    {
        string output = await apps.OutputAsync("portable-without-runtimeconfig", "build");
        string elsewhere = Directory.CreateDirectory(Path.Combine(apps.Work, "runtimeconfig-elsewhere")).FullName;
        File.Move(Path.Combine(output, "App.runtimeconfig.json"), Path.Combine(elsewhere, "App.runtimeconfig.json"), overwrite: true);

        // What another user could leave at the predictable path in the shared temp directory.
        string temp = Directory.CreateDirectory(Path.Combine(apps.Work, "shared-temp")).FullName;
        string planted = Path.Combine(temp, $"processpool-{Environment.Version}.runtimeconfig.json");
        await File.WriteAllTextAsync(planted, $$"""
            {"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"{{Environment.Version}}"},
             "configProperties":{"ProcessPool.Tests.Planted":"planted"} } }
            """);

        var report = await ConsumerApps.RunAsync(
            Processes.DotnetPath(),
            ["exec", "--runtimeconfig", Path.Combine(elsewhere, "App.runtimeconfig.json"), Path.Combine(output, "App.dll"), "--check-runtimeconfig-directory"],
            environment => environment["TMPDIR"] = temp);

        report.AssertTasksRanInAnotherProcess();
        Assert.Equal("(none)", report["worker-planted-setting"]);
        Assert.NotEqual(planted, report["worker-runtimeconfig"]);
        Assert.Equal(CurrentUserId(), report["runtimeconfig-directory-owner"]);
        Assert.Equal("700", report["runtimeconfig-directory-mode"]);
    }

    /// <summary>A PATH with no dotnet on it, and no DOTNET_ROOT or DOTNET_HOST_PATH to find one by.</summary>
    private void WithoutDotnet(IDictionary<string, string?> environment)
    {
        environment.Clear();
        environment["PATH"] = Directory.CreateDirectory(Path.Combine(apps.Work, "empty-path")).FullName;
        environment["HOME"] = Environment.GetEnvironmentVariable("HOME");
    }

    /// <summary>
    /// The app's Main never ran in a worker (it would have printed there, and worker output reaches the
    /// app's stderr), and the code tasks run sees none of the variables that made the process a worker.
    /// </summary>
    private static void AssertWorkersLeftNoTrace(AppReport report)
    {
        Assert.DoesNotContain("[worker", report.Stderr, StringComparison.Ordinal);
        Assert.Equal("(none)", report["worker-startup-hooks"]);
        Assert.Equal("", report["worker-variables"]);
        Assert.Equal("", report["worker-native-variables"]);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string CurrentUserId() =>
        File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}

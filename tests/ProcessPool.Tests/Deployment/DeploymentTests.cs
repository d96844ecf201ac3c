using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Deployment;

/// <summary>
/// Workers start however the app is deployed, and nothing they rely on comes from a place other users
/// can write to.
/// </summary>
[Collection(nameof(SharedConsumerApps))]
public sealed class DeploymentTests(ConsumerApps apps)
{
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

    private static string CurrentUserId() =>
        File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}

using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Deployment;

/// <summary>
/// The library works when consumed as a NuGet package, not only through a project reference: the worker
/// host is found inside the package, and the package fits builds for any runtime identifier.
/// </summary>
[Collection(nameof(SharedConsumerApps))]
public sealed class PackageTests(ConsumerApps apps)
{
    [Fact]
    public async Task A_fresh_app_that_references_only_the_package_can_submit_and_map()
    {
        string output = await apps.OutputAsync("portable", "build");

        var report = await ConsumerApps.RunAsync(Processes.DotnetPath(), [Path.Combine(output, "App.dll")]);

        report.AssertTasksRanInAnotherProcess();
    }

    [Fact]
    public async Task The_workers_of_a_portable_app_load_the_precompiled_library_where_it_matches_the_machine()
    {
        string output = await apps.OutputAsync("portable", "build");

        var report = await ConsumerApps.RunAsync(Processes.DotnetPath(), [Path.Combine(output, "App.dll")]);

        // The package's ReadyToRun image is built for linux-x64 only (see ProcessPool.csproj); the app's
        // deps.json lists it as a runtime target, which the host prefers over the IL on that machine.
        bool precompiled = RuntimeInformation.RuntimeIdentifier == "linux-x64";
        Assert.Equal(precompiled ? "yes" : "no", report["worker-library-precompiled"]);
        Assert.Equal(
            Path.Combine(output, precompiled ? "runtimes/linux-x64/lib/net10.0/ProcessPool.dll" : "ProcessPool.dll"),
            report["worker-library"]);
    }

    // The consumer app's project sets TreatWarningsAsErrors: a library image for another processor in
    // the package's lib/ folder would be warning CS8012, which fails these builds.
    [Fact]
    public async Task An_app_built_for_linux_x64_compiles_with_warnings_as_errors_and_its_workers_run_the_precompiled_library()
    {
        string output = await apps.OutputAsync("build-linux-x64", "build", "-r", "linux-x64");

        var report = await ConsumerApps.RunAsync(Path.Combine(output, "App"), []);

        report.AssertTasksRanInAnotherProcess();
        Assert.Equal(Path.Combine(output, "ProcessPool.dll"), report["worker-library"]);
        Assert.Equal("yes", report["worker-library-precompiled"]);
    }

    [Fact]
    public async Task An_app_built_for_another_processor_compiles_with_warnings_as_errors()
    {
        string output = await apps.OutputAsync("build-linux-arm64", "build", "-r", "linux-arm64");

        // It gets the IL: the linux-x64 image is only for apps that run there.
        using var library = new PEReader(File.OpenRead(Path.Combine(output, "ProcessPool.dll")));
        Assert.Equal(0, library.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size);
    }
}

namespace ProcessPool.Tests.Deployment;

/// <summary>
/// A worker started through the app's own executable names ProcessPool in DOTNET_STARTUP_HOOKS after
/// the app's own hooks, and gives the processes its tasks start the app's hooks back as they were.
/// </summary>
public sealed class StartupHookTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/opt/hooks/Tracing.dll")]
    [InlineData("/opt/hooks/Tracing.dll:Telemetry")]
    public void The_apps_own_startup_hooks_come_back_as_they_were(string? hooks)
    {
        Assert.Equal(string.IsNullOrEmpty(hooks) ? null : hooks, StartupHook.Without(StartupHook.With(hooks)));
    }

    [Fact]
    public void ProcessPools_hook_runs_after_the_apps_own()
    {
        Assert.Equal("/opt/hooks/Tracing.dll:ProcessPool", StartupHook.With("/opt/hooks/Tracing.dll"));
    }
}

public sealed class DeploymentKindTests
{
    [Theory]
    [InlineData("/srv/app/", "/srv/app/", true)]
    [InlineData("/srv/app", "/srv/app/", true)]
    [InlineData("/srv/app/dotnet/shared/Microsoft.NETCore.App/10.0.12/", "/srv/app/", false)] // a dotnet installation inside the app's folder
    [InlineData("/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/", "/srv/app/", false)]
    public void An_app_is_self_contained_only_when_the_runtime_is_in_its_own_directory(string runtime, string app, bool selfContained) =>
        Assert.Equal(selfContained, ProcessPool.Workers.WorkerCommand.IsSelfContained(runtime, app));
}

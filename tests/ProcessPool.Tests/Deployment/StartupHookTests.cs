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

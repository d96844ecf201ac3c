namespace ProcessPool.Tests;

public sealed class SmokeTests
{
    [Fact]
    public async Task A_static_method_runs_in_another_process()
    {
        await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
        Assert.Equal(49, await pool.SubmitAsync(Maths.Square, 7));
        Assert.NotEqual(Environment.ProcessId, await pool.SubmitAsync(Maths.ProcessId));
    }
}

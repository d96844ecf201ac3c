using ProcessPool.Tests.Support;

namespace ProcessPool.Tests;

public sealed class ExceptionTests
{
    [Fact]
    public async Task An_exception_thrown_in_the_worker_comes_back_as_the_same_type()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => pool.SubmitAsync(Misbehaving.ThrowArgument, "bad input").Within());
        Assert.Equal("message", error.ParamName);
        Assert.StartsWith("bad input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_remote_stack_trace_is_attached()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SubmitAsync(Misbehaving.ThrowInvalidOperation, "boom").Within());
        Assert.Equal("boom", error.Message);
        Assert.Contains(nameof(Misbehaving.ThrowInvalidOperation), error.StackTrace, StringComparison.Ordinal);
        Assert.Contains("in the worker process", error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_exception_types_are_rebuilt_when_the_parent_can_load_them()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<CustomFailureException>(() => pool.SubmitAsync(Misbehaving.ThrowCustom, "custom").Within());
        Assert.Equal("custom", error.Message);
    }

    [Fact]
    public async Task Argument_out_of_range_keeps_its_parameter_name()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.SubmitAsync(Misbehaving.ThrowIfNegative, -1).Within());
        Assert.Equal("x", error.ParamName);
    }

    [Fact]
    public async Task An_exception_that_cannot_be_rebuilt_becomes_a_remote_task_exception()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(MoreMisbehaving.ThrowUnbuildable, 7).Within());
        Assert.Equal(typeof(UnbuildableException).FullName, error.RemoteTypeName);
        Assert.Equal("code 7", error.RemoteMessage);
        Assert.Contains(nameof(MoreMisbehaving.ThrowUnbuildable), error.RemoteStackTrace, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ProcessPoolException>(error);
    }

    [Fact]
    public async Task A_failing_task_leaves_the_worker_serving()
    {
        await using var pool = Pools.Create(workers: 1);
        int before = await pool.SubmitAsync(Maths.ProcessId).Within();
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SubmitAsync(Misbehaving.ThrowInvalidOperation, "x").Within());
        Assert.Equal(before, await pool.SubmitAsync(Maths.ProcessId).Within());
    }
}

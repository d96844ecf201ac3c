using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

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
    public async Task An_exception_without_the_usual_constructors_is_rebuilt_from_its_fields()
    {
        await using var pool = Pools.Create();
        var error = await Assert.ThrowsAsync<UnbuildableException>(() => pool.SubmitAsync(MoreMisbehaving.ThrowUnbuildable, 7).Within());
        Assert.Equal(7, error.Code);
        Assert.Equal("code 7", error.Message);
        Assert.Contains(nameof(MoreMisbehaving.ThrowUnbuildable), error.StackTrace, StringComparison.Ordinal);
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

public sealed class ExceptionDetailTests
{
    [Fact]
    public async Task An_aggregate_exception_keeps_every_inner_exception_and_its_message()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<AggregateException>(() => pool.SubmitAsync(Failures.ThrowAggregate).Within());
        Assert.Equal("agg (a1) (f2)", error.Message);
        Assert.Collection(
            error.InnerExceptions,
            e => Assert.Equal("a1", Assert.IsType<ArgumentException>(e).Message),
            e => Assert.Equal("f2", Assert.IsType<FormatException>(e).Message));
    }

    [Fact]
    public async Task Argument_out_of_range_keeps_its_actual_value_and_its_message_reads_as_in_the_worker()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => pool.SubmitAsync(Failures.ThrowIfNegative, -1).Within());
        Assert.Equal(-1, error.ActualValue);
        Assert.Equal("value", error.ParamName);
        string expected = Assert.Throws<ArgumentOutOfRangeException>(() => Failures.ThrowIfNegative(-1)).Message;
        Assert.Equal(expected, error.Message);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(error.Message, "Actual value was -1"));
    }

    [Fact]
    public async Task A_type_initialization_exception_keeps_its_type_name_and_inner_exception()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<TypeInitializationException>(() => pool.SubmitAsync(Failures.TouchBrokenType).Within());
        string expected = Assert.Throws<TypeInitializationException>(() => Failures.TouchBrokenType()).Message;
        Assert.Equal(expected, error.Message);
        Assert.EndsWith("BrokenStatics", error.TypeName, StringComparison.Ordinal);
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public async Task Custom_properties_and_data_entries_that_can_travel_survive()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<OrderFailedException>(() => pool.SubmitAsync(Failures.ThrowOrderFailure, 42).Within());
        Assert.Equal("order 42 failed", error.Message);
        Assert.Equal(42, error.OrderId);
        Assert.Equal(["late", "paid"], error.Tags);
        Assert.Null(error.Attachment); // a stream cannot travel: left out, the rest stands
        Assert.Equal(3, error.Data["attempt"]);
        Assert.Equal(DateTimeKind.Local, Assert.IsType<DateTime>(error.Data["when"]).Kind);
        Assert.False(error.Data.Contains("stream"));
        Assert.Contains(nameof(Failures.ThrowOrderFailure), error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Well_known_properties_of_framework_exceptions_survive()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.SubmitAsync(Failures.ThrowObjectDisposed).Within());
        Assert.Equal("the-widget", error.ObjectName);
        Assert.Equal(new ObjectDisposedException("the-widget", "gone").Message, error.Message);
    }

    [Fact]
    public async Task An_exception_type_the_parent_lacks_becomes_a_remote_task_exception_with_all_its_inner_exceptions()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<RemoteTaskException>(() => pool.SubmitAsync(Failures.ThrowTypeTheParentLacks, "worker only").Within());
        Assert.Equal("WorkerOnlyException", error.RemoteTypeName);
        Assert.Equal("worker only", error.RemoteMessage);
        var aggregate = Assert.IsType<AggregateException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(2, aggregate.InnerExceptions.Count);
    }
}

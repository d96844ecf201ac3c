using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

public sealed class SerializationErrorTests
{
    [Fact]
    public async Task A_captured_stream_fails_the_submit_call_itself_naming_the_variable_and_type()
    {
        await using var pool = Pools.Create();
        using var stream = new MemoryStream();
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(() => stream.Length); });
        Assert.Contains("'stream'", error.Message, StringComparison.Ordinal);
        Assert.Contains("System.IO.MemoryStream", error.Message, StringComparison.Ordinal);

        // nothing was sent and the pool is healthy
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within());
    }

    [Fact]
    public async Task An_unserializable_argument_fails_the_submit_call_naming_the_argument()
    {
        await using var pool = Pools.Create();
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Maths.Identity<Stream>, Stream.Null); });
        Assert.Contains("argument 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(pool.Workers); // nothing was sent, so no worker was even needed
    }

    [Fact]
    public async Task Only_the_variables_a_lambda_uses_travel_so_the_shared_closure_trap_does_not_bite()
    {
        await using var pool = Pools.Create();
        int x = 3;
        using var stream = new MemoryStream();
        Func<long> unrelated = () => stream.Length; // shares the closure object with the lambda below
        Assert.Equal(6, await pool.SubmitAsync(() => x * 2).Within());
        GC.KeepAlive(unrelated);
    }

    [Fact]
    public async Task A_lambda_that_uses_an_unserializable_variable_names_every_culprit()
    {
        await using var pool = Pools.Create();
        using var stream = new MemoryStream();
        using var cts = new CancellationTokenSource();
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(() => stream.Length + (cts.IsCancellationRequested ? 1 : 0)); });
        Assert.Contains("'stream'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'cts'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Only the variables the lambda uses travel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_captured_delegate_is_rejected_with_advice()
    {
        await using var pool = Pools.Create();
        Func<int, int> square = Maths.Square;
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(() => square(3)); });
        Assert.Contains("'square'", error.Message, StringComparison.Ordinal);
        Assert.Contains("delegate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_captured_cancellation_token_becomes_the_tasks_own_token()
    {
        await using var pool = Pools.Create();
        using var cts = new CancellationTokenSource();
        var token = cts.Token;
        Assert.False(await pool.SubmitAsync(() => token.IsCancellationRequested, cts.Token).Within());
    }

    [Fact]
    public async Task A_compiled_expression_is_rejected()
    {
        await using var pool = Pools.Create();
        System.Linq.Expressions.Expression<Func<int>> expression = () => 1;
        Assert.Throws<ArgumentException>(() => { _ = pool.SubmitAsync(expression.Compile()); });
    }

    [Fact]
    public async Task An_object_graph_that_refers_back_to_itself_fails_the_submit_instead_of_crashing()
    {
        await using var pool = Pools.Create();
        var node = new Node { Name = "a" };
        node.Next = node;
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Maths.Identity, node); });
        Assert.Contains("refer back to itself", error.Message, StringComparison.Ordinal);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await pool.SubmitAsync(Maths.Square, 1).Within());
    }

    [Fact]
    public async Task An_object_travels_by_its_fields_so_a_getter_that_throws_is_never_run()
    {
        await using var pool = Pools.Create();
        var back = await pool.SubmitAsync(Maths.Identity, new Throwing()).Within();
        Assert.Equal(1, back.RawValue());
    }

    [Fact]
    public async Task A_stream_nested_inside_an_argument_is_refused_like_a_top_level_one()
    {
        await using var pool = Pools.Create();
        using var holder = new Holder();
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Maths.Identity, holder); });
        Assert.Contains("argument 1", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("Stream", StringComparison.Ordinal), error.Message);
    }

    public sealed class Holder : IDisposable
    {
        public string Name { get; set; } = "h";

        public Stream Data { get; set; } = new MemoryStream();

        public void Dispose() => Data.Dispose();
    }

    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    public sealed class Throwing
    {
        private int _value = 1;

        public int Value
        {
            get => _value > 0 ? throw new InvalidOperationException("getter refused") : _value;
            set => _value = value;
        }

        public int RawValue() => _value;
    }
}

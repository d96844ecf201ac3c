using MessagePack;
using ProcessPool.Serialization;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Serialization;

public sealed class AllowedTypesTests
{
    [Fact]
    public async Task Without_the_allow_list_an_app_type_declared_as_object_is_refused_at_submit_naming_the_fix()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = Assert.Throws<PayloadSerializationException>(() => { _ = pool.SubmitAsync(Shapes.TypeNameOf, (object)new UnlistedPoint { X = 1, Y = 2 }); });
        Assert.Contains("declared as object", error.Message, StringComparison.Ordinal);
        Assert.Contains("typeof(UnlistedPoint)", error.Message, StringComparison.Ordinal);
        Assert.Empty(pool.Workers); // refused before anything was sent
    }

    [Fact]
    public async Task Framework_values_declared_as_object_keep_their_type_without_the_allow_list()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal("Int32", await pool.SubmitAsync(Shapes.TypeNameOf, (object)5).Within());
        Assert.Equal("List`1", await pool.SubmitAsync(Shapes.TypeNameOf, (object)new List<string> { "a" }).Within());
        Assert.IsType<int>(await pool.SubmitAsync(Shapes.Echo, (object)5).Within());
    }

    [Fact]
    public async Task An_allowed_type_travels_as_itself_both_ways()
    {
        await using var pool = Pools.Create(workers: 1, o => o.AllowedTypes.Add(typeof(Point)));
        Assert.Equal("Point", await pool.SubmitAsync(Shapes.TypeNameOf, (object)new Point { X = 1, Y = 2 }).Within());

        var back = Assert.IsType<Point>(await pool.SubmitAsync(Shapes.MakePoint, 3, 4).Within());
        Assert.Equal((3, 4), (back.X, back.Y));
    }

    [Fact]
    public async Task Each_pool_uses_its_own_list()
    {
        await using var allowing = Pools.Create(workers: 1, o => o.AllowedTypes.Add(typeof(Point)));
        await using var other = Pools.Create(workers: 1);
        Assert.Equal("Point", await allowing.SubmitAsync(Shapes.TypeNameOf, (object)new Point { X = 1 }).Within());
        Assert.Throws<PayloadSerializationException>(() => { _ = other.SubmitAsync(Shapes.TypeNameOf, (object)new Point { X = 1 }); });
    }

    [Fact]
    public async Task A_value_declared_as_an_interface_needs_its_type_allowed()
    {
        await using (var unlisted = Pools.Create(workers: 1))
        {
            var refused = Assert.Throws<PayloadSerializationException>(() => { _ = unlisted.SubmitAsync(Shapes.AreaOf, (IShape)new UnlistedCircle()); });
            Assert.Contains("AllowedTypes", refused.Message, StringComparison.Ordinal);
        }

        await using (var allowed = Pools.Create(workers: 1, o => o.AllowedTypes.Add(typeof(Circle))))
        {
            Assert.Equal(Math.PI * 4, await allowed.SubmitAsync(Shapes.AreaOf, (IShape)new Circle { Radius = 2 }).Within(), 6);
        }
    }

    [Fact]
    public void A_payload_naming_a_type_that_is_not_allowed_is_refused_before_the_type_is_looked_up()
    {
        // As a value declared as object: [type, value].
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        writer.WriteArrayHeader(2);
        writer.Write(typeof(FileInfo).AssemblyQualifiedName);
        writer.Write("/etc/passwd");
        writer.Flush();
        var error = Assert.ThrowsAny<Exception>(() =>
        {
            var reader = new MessagePackReader(payload.WrittenMemory);
            return PayloadSerializer.Read<object>(ref reader, PayloadContext.ProcessWide.Reading);
        });
        Assert.Contains("AllowedTypes", error.ToString(), StringComparison.Ordinal);

        // As a value declared as an interface: an extension naming the type, then the value.
        var name = new System.Buffers.ArrayBufferWriter<byte>();
        var nameWriter = new MessagePackWriter(name);
        nameWriter.Write(typeof(Circle).AssemblyQualifiedName);
        nameWriter.Flush();
        var typed = new System.Buffers.ArrayBufferWriter<byte>();
        writer = new MessagePackWriter(typed);
        writer.WriteExtensionFormat(new ExtensionResult(AllowListFormatter<IShape>.ExtensionType, name.WrittenMemory.ToArray()));
        writer.WriteArrayHeader(1);
        writer.Write(1.0);
        writer.Flush();
        error = Assert.ThrowsAny<Exception>(() =>
        {
            var reader = new MessagePackReader(typed.WrittenMemory);
            return PayloadSerializer.Read<IShape>(ref reader, PayloadContext.ProcessWide.Reading);
        });
        Assert.Contains("AllowedTypes", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_type_name_from_a_worker_never_makes_the_parent_load_an_assembly()
    {
        // The tests' host program sits beside this assembly but is never loaded into this process.
        const string Host = "ProcessPool.Tests.Host";
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == Host);

        var error = RemoteExceptionFactory.Create(new ProcessPool.Protocol.ExceptionInfo($"Program, {Host}", "from a worker", null, [], [], default), new HashSet<Type>());

        Assert.IsType<RemoteTaskException>(error);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == Host);
    }

    [Fact]
    public async Task A_null_declared_as_an_interface_travels()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(0, await pool.SubmitAsync(MoreShapes.AreaOrZero, (IShape?)null).Within());
    }

    [Fact]
    public void Values_nested_deeper_than_the_limit_are_refused_not_a_stack_overflow()
    {
        // object[] { object[] { object[] { ... } } }, written in one pass: [[-1, 0], [ value ]] per level.
        var payload = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(payload);
        for (int level = 0; level < GraphGuard<object>.MaxDepth + 1000; level++)
        {
            writer.WriteArrayHeader(2);
            writer.WriteArrayHeader(2);
            writer.Write(-1);
            writer.Write(0);
            writer.WriteArrayHeader(1);
        }

        writer.WriteNil();
        writer.Flush();

        var error = Assert.ThrowsAny<Exception>(() => Serialization.PayloadRoundTrip.OnSmallStack(() =>
        {
            var reader = new MessagePackReader(payload.WrittenMemory);
            return PayloadSerializer.Read<object>(ref reader, PayloadContext.ProcessWide.Reading);
        }));
        Assert.Contains("depth", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Only_concrete_closed_types_can_be_allowed()
    {
        var options = new ProcessPoolOptions();
        options.AllowedTypes.Add(typeof(IShape));
        var error = Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(options));
        Assert.Equal("AllowedTypes", error.ParamName);
    }
}

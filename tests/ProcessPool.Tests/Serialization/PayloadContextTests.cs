using System.Buffers;
using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool.Tests.Serialization;

/// <summary>Each pool's serialization settings travel with its options, never with the thread.</summary>
public sealed class PayloadContextTests
{
    private static readonly PayloadContext Allowing = new(new HashSet<Type> { typeof(Tagged) }, segments: null);
    private const int ChainLength = 5_000;
    private static readonly PayloadContext Refusing = new(new HashSet<Type>(), segments: null);

    [Fact]
    public void Two_pools_interleaved_on_one_thread_each_use_their_own_allowed_types()
    {
        object value = new Tagged(7);
        for (int i = 0; i < 3; i++)
        {
            byte[] written = Write(Allowing, value);
            Assert.Throws<PayloadSerializationException>(() => Write(Refusing, value)); // between the other pool's write and read
            Assert.Equal(value, Read(Allowing, written));
            Assert.ThrowsAny<Exception>(() => Read(Refusing, written));
        }
    }

    [Fact]
    public async Task Two_pools_serializing_concurrently_on_the_thread_pool_never_see_each_others_settings()
    {
        object value = new Tagged(1);
        var work = Enumerable.Range(0, 400).Select(i => Task.Run(() =>
        {
            if (i % 2 == 0)
            {
                return Equals(Read(Allowing, Write(Allowing, value)), value);
            }

            try
            {
                Write(Refusing, value);
                return false;
            }
            catch (PayloadSerializationException)
            {
                return true;
            }
        }));

        Assert.All(await Task.WhenAll(work).WaitAsync(TimeSpan.FromMinutes(1)), Assert.True);
    }

    [Fact]
    public void A_deep_value_continued_on_another_thread_keeps_its_pools_allowed_types()
    {
        // Deep enough that the write and the read move to a thread with a large stack (DeepStack) part-way.
        var head = new Link(0, null);
        for (int i = 1; i < ChainLength; i++)
        {
            head = new Link(i, head);
        }

        var allowed = new HashSet<Type> { typeof(Link) };
        PayloadRoundTrip.Of<object>(new Link(0, new Link(1, null)), allowed); // formatters built first: building them takes stack of its own
        var copy = PayloadRoundTrip.OnSmallStack(() => PayloadRoundTrip.Of<object>(head, allowed));

        int length = 0;
        for (var link = (Link?)copy; link is not null; link = (Link?)link.Next)
        {
            length++;
        }

        Assert.Equal(ChainLength, length);
    }

    [Fact]
    public void Writes_with_their_own_options_keep_their_own_segments()
    {
        string directory = Directory.CreateTempSubdirectory("pp-context-").FullName;
        using var segments = new SegmentPool(directory, SegmentNames.Parent, inWorker: false);
        try
        {
            var pool = new PayloadContext(allowedTypes: null, segments);
            var first = pool.BeginWrite(sharedMemory: true);
            var second = pool.BeginWrite(sharedMemory: true);
            Write(first, new byte[SharedMemory.Threshold]);
            Write(second, new byte[SharedMemory.Threshold]);
            Write(first, new byte[SharedMemory.Threshold]);

            Assert.Equal(2, first.Writing.Created.Count);
            Assert.Single(second.Writing.Created);
            Assert.Equal(3, first.Writing.Created.Concat(second.Writing.Created).Select(use => use.Segment).Distinct().Count());
            Assert.All(first.Writing.Created, use => Assert.StartsWith(SegmentNames.Parent, use.Segment!.Name, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Reading_options_are_shared_and_cannot_be_written_with()
    {
        Assert.Same(Allowing.Reading, Allowing.Reading);
        Assert.NotSame(Allowing.BeginWrite(sharedMemory: false), Allowing.BeginWrite(sharedMemory: false));
        Assert.Throws<InvalidOperationException>(() => Allowing.Reading.Writing);
    }

    private static byte[] Write(PayloadContext context, object value) => Write(context.BeginWrite(sharedMemory: false), value);

    private static byte[] Write<T>(PayloadOptions options, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        PayloadSerializer.Write(ref writer, value, options, "value");
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static object? Read(PayloadContext context, byte[] payload)
    {
        var reader = new MessagePackReader(payload);
        return PayloadSerializer.Read<object>(ref reader, context.Reading);
    }

    public sealed record Tagged(int Value);

    public sealed class Link(int value, object? next)
    {
        public int Value { get; } = value;

        public object? Next { get; } = next;
    }
}

using ProcessPool.Serialization;
using System.Buffers.Binary;
using ProcessPool.Protocol;

namespace ProcessPool.Tests.Protocol;

public sealed class FramingTests
{
    [Fact]
    public void The_reader_says_whether_a_next_frame_has_already_arrived()
    {
        var buffer = new FrameBuffer();
        new CallIdMessage(1).Write(buffer, MessageType.Canceled);
        new CallIdMessage(2).Write(buffer, MessageType.Canceled);
        var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));

        Assert.True(reader.TryRead(out var first));
        first.Dispose();
        Assert.True(reader.HasBufferedFrame); // the second reply came in the same read: a batch
        Assert.True(reader.TryRead(out var second));
        second.Dispose();
        Assert.False(reader.HasBufferedData);
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void Part_of_a_frame_is_buffered_data_but_not_a_buffered_frame()
    {
        var buffer = new FrameBuffer();
        new CallIdMessage(1).Write(buffer, MessageType.Canceled);
        new InvokeMessage(2, 1, 1, new byte[100]).Write(buffer);
        byte[] bytes = buffer.WrittenSpan.ToArray();
        var reader = new FrameReader(new MemoryStream(bytes[..^10])); // the second frame is cut short

        Assert.True(reader.TryRead(out var first));
        first.Dispose();
        Assert.True(reader.HasBufferedData);
        Assert.False(reader.HasBufferedFrame); // reading it would wait for the rest
    }

    [Fact]
    public void An_unbuffered_reader_reads_no_further_than_the_frame_it_returns()
    {
        var buffer = new FrameBuffer();
        new CallIdMessage(1).Write(buffer, MessageType.Canceled);
        new CallIdMessage(2).Write(buffer, MessageType.Canceled);
        var stream = new MemoryStream(buffer.WrittenSpan.ToArray());
        var reader = new FrameReader(stream, bufferSize: 0);

        Assert.True(reader.TryRead(out var first));
        first.Dispose();
        Assert.Equal(stream.Length / 2, stream.Position); // the rest is left for the next reader
    }

    [Fact]
    public void Frames_written_together_are_read_back_one_by_one()
    {
        var buffer = new FrameBuffer();
        new CallIdMessage(7).Write(buffer, MessageType.Cancel);
        new InvokeMessage(9, 3, 2, new byte[] { 1, 2, 3 }).Write(buffer);
        var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));

        Assert.True(reader.TryRead(out var first));
        using (first)
        {
            Assert.Equal(MessageType.Cancel, first.Type);
            Assert.Equal(7, CallIdMessage.Read(first.Body).CallId);
        }

        Assert.True(reader.TryRead(out var second));
        using (second)
        {
            var invoke = InvokeMessage.Read(second.Body);
            Assert.Equal((9L, 3, 2), (invoke.CallId, invoke.FunctionId, invoke.ItemCount));
            Assert.Equal(new byte[] { 1, 2, 3 }, invoke.Payload.ToArray());
        }

        Assert.False(reader.TryRead(out _)); // clean end of stream at a frame boundary
    }

    [Fact]
    public void A_result_with_an_error_round_trips()
    {
        var buffer = new FrameBuffer();
        var failure = new InvalidOperationException("outer", new ArgumentException("inner", "p"));
        failure.Data["key"] = "value";
        var error = ProcessPool.Serialization.ExceptionState.Capture(failure, ProcessPool.Serialization.PayloadContext.ProcessWide);
        new ResultMessage(5, 1234, 1, error, new byte[] { 0xc0 }).Write(buffer);
        var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));
        Assert.True(reader.TryRead(out var frame));
        using (frame)
        {
            var result = ResultMessage.Read(frame.Body);
            Assert.Equal((5L, 1234L, 1), (result.CallId, result.ElapsedTicks, result.CompletedCount));
            Assert.Equal("outer", result.Error!.Message);
            Assert.Equal(error.Fields, result.Error.Fields, (a, b) => (a.DeclaringType, a.Name) == (b.DeclaringType, b.Name) && a.Payload.Span.SequenceEqual(b.Payload.Span));
            Assert.Equal(error.Data.ToArray(), result.Error.Data.ToArray());
            var inner = Assert.IsType<ArgumentException>(RemoteExceptionFactory.Create(Assert.Single(result.Error.Inner), new HashSet<Type>()));
            Assert.Equal("p", inner.ParamName);
            Assert.Equal("value", RemoteExceptionFactory.Create(result.Error, new HashSet<Type>()).Data["key"]);
        }
    }

    [Fact]
    public void An_unhandled_exception_report_round_trips()
    {
        var buffer = new FrameBuffer();
        new UnhandledMessage("thread 'poller' (managed thread 12)", ExceptionInfo.From(new InvalidOperationException("stray"))).Write(buffer);
        var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));
        Assert.True(reader.TryRead(out var frame));
        using (frame)
        {
            Assert.Equal(MessageType.Unhandled, frame.Type);
            var report = UnhandledMessage.Read(frame.Body);
            Assert.Equal("thread 'poller' (managed thread 12)", report.Thread);
            Assert.Equal("stray", report.Exception.Message);
            Assert.StartsWith("System.InvalidOperationException", report.Exception.TypeName, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_stream_that_ends_inside_a_header_is_a_protocol_error()
    {
        var reader = new FrameReader(new MemoryStream([5, 0]));
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void A_stream_that_ends_inside_a_body_is_a_protocol_error()
    {
        var buffer = new FrameBuffer();
        new InvokeMessage(1, 1, 1, new byte[100]).Write(buffer);
        var truncated = buffer.WrittenSpan[..^10].ToArray();
        var reader = new FrameReader(new MemoryStream(truncated));
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void A_length_out_of_range_is_a_protocol_error(int length)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        bytes[4] = (byte)MessageType.Invoke;
        var reader = new FrameReader(new MemoryStream(bytes));
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void A_huge_declared_length_with_little_data_fails_without_allocating_it()
    {
        var bytes = new byte[5 + 1000];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, FrameReader.DefaultMaxFrameLength);
        bytes[4] = (byte)MessageType.Invoke;
        var reader = new FrameReader(new MemoryStream(bytes));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64L << 20, "the reader allocated the declared length up front");
    }

    [Fact]
    public void An_unknown_message_type_is_a_protocol_error()
    {
        var reader = new FrameReader(new MemoryStream([1, 0, 0, 0, 200]));
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
    }

    [Fact]
    public void Random_bytes_only_ever_give_frames_or_clean_errors()
    {
        var random = new Random(1234);
        for (int i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var reader = new FrameReader(new MemoryStream(bytes), maxFrameLength: 1 << 16);
            try
            {
                while (reader.TryRead(out var frame))
                {
                    using (frame)
                    {
                        TryDecode(frame);
                    }
                }
            }
            catch (ProtocolException)
            {
                // the expected failure for garbage
            }
        }
    }

    private static void TryDecode(Frame frame)
    {
        try
        {
            _ = frame.Type switch
            {
                MessageType.Result or MessageType.InitializeResult => (object)ResultMessage.Read(frame.Body),
                MessageType.Invoke or MessageType.Initialize => InvokeMessage.Read(frame.Body),
                MessageType.Define => DefineMessage.Read(frame.Body),
                MessageType.Hello => HelloMessage.Read(frame.Body),
                _ => CallIdMessage.Read(frame.Body),
            };
        }
        catch (ProtocolException)
        {
            // a malformed body is refused with the one exception the channel treats as fatal
        }
    }
}

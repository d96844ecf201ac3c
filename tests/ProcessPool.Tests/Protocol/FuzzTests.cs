using System.Buffers.Binary;
using MessagePack;
using ProcessPool.Protocol;

namespace ProcessPool.Tests.Protocol;

/// <summary>
/// Bytes from the other process, random, truncated, oversized or bit-flipped: each case decodes, ends
/// cleanly at a frame boundary, or fails with <see cref="ProtocolException"/>. Any other exception
/// fails the test and names its case, which the fixed seeds make reproducible.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20240611;

    [Fact]
    public void Random_bytes_give_frames_a_clean_end_or_a_protocol_error()
    {
        var random = new Random(Seed);
        for (int i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 96)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= FrameBuffer.HeaderLength)
            {
                // Half the cases get a plausible header, so that bodies reach the decoders.
                BinaryPrimitives.WriteInt32LittleEndian(bytes, random.Next(1, bytes.Length));
                bytes[4] = (byte)Samples[random.Next(Samples.Length)].Type;
            }

            ReadAll($"random stream {i} (seed {Seed})", bytes, random);
        }
    }

    [Fact]
    public void Valid_frames_cut_at_every_length_end_cleanly_only_at_a_boundary()
    {
        var buffer = new FrameBuffer();
        var boundaries = new HashSet<int> { 0 };
        foreach (var (type, body) in Samples)
        {
            int frame = buffer.BeginFrame(type);
            buffer.Write(body);
            buffer.EndFrame(frame);
            boundaries.Add(buffer.Length);
        }

        byte[] all = buffer.WrittenSpan.ToArray();
        var random = new Random(Seed);
        for (int cut = 0; cut <= all.Length; cut++)
        {
            var reader = new FrameReader(new TrickleStream(all[..cut], random), bufferSize: cut % 3 == 0 ? 0 : 16);
            int read = 0;
            try
            {
                while (reader.TryRead(out var frame))
                {
                    using (frame)
                    {
                        Decode(frame.Type, frame.Body); // a whole frame of a valid message: must decode
                    }

                    read++;
                }

                Assert.True(boundaries.Contains(cut), $"cut at {cut}: the reader reported a clean end inside a frame");
            }
            catch (ProtocolException)
            {
                Assert.False(boundaries.Contains(cut), $"cut at {cut}: a clean end at a frame boundary was reported as an error");
            }

            Assert.Equal(boundaries.Count(b => b > 0 && b <= cut), read);
        }
    }

    [Fact]
    public void Message_bodies_cut_at_every_length_decode_or_fail_with_a_protocol_error()
    {
        foreach (var (type, body) in Samples)
        {
            for (int cut = 0; cut < body.Length; cut++)
            {
                ExpectCleanOutcome($"{type} body cut at {cut}", () => Decode(type, body.AsMemory(0, cut)));
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(4097)]
    [InlineData(int.MaxValue)]
    public void Length_prefixes_out_of_range_are_protocol_errors(int length)
    {
        var bytes = new byte[64];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, length);
        bytes[4] = (byte)MessageType.Result;
        var reader = new FrameReader(new MemoryStream(bytes), maxFrameLength: 4096);
        var error = Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
        Assert.Contains("outside the allowed range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_undefined_message_type_is_a_protocol_error()
    {
        for (int type = 0; type < 256; type++)
        {
            if (Enum.IsDefined((MessageType)type))
            {
                continue;
            }

            var reader = new FrameReader(new MemoryStream([2, 0, 0, 0, (byte)type, 0xc0]));
            var error = Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
            Assert.Contains("Unknown message type", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    public void A_frame_claiming_a_gigabyte_allocates_only_about_what_arrives(int bufferSize)
    {
        var bytes = new byte[FrameBuffer.HeaderLength + 10];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, FrameReader.DefaultMaxFrameLength);
        bytes[4] = (byte)MessageType.Invoke;
        var reader = new FrameReader(new MemoryStream(bytes), bufferSize: bufferSize);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<ProtocolException>(() => reader.TryRead(out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4L << 20, $"reading 10 bytes of a frame that claims 1 GiB allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Random_bodies_given_to_every_decoder_decode_or_fail_with_a_protocol_error()
    {
        var random = new Random(Seed);
        foreach (var (name, decode) in Decoders)
        {
            for (int i = 0; i < 1500; i++)
            {
                byte[] body = MessagePackishBytes(random, random.Next(0, 48));
                ExpectCleanOutcome($"{name} random body {i} (seed {Seed}): {Convert.ToHexString(body)}", () => decode(body));
            }
        }
    }

    [Fact]
    public void Bit_flipped_valid_messages_decode_or_fail_with_a_protocol_error()
    {
        var random = new Random(Seed);
        foreach (var (type, body) in Samples)
        {
            for (int i = 0; i < 500; i++)
            {
                byte[] mutated = (byte[])body.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    int bit = random.Next(mutated.Length * 8);
                    mutated[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                ExpectCleanOutcome($"{type} flipped {i} (seed {Seed}): {Convert.ToHexString(mutated)}", () => Decode(type, mutated));
            }
        }
    }

    [Theory]
    [InlineData("Hello string")]
    [InlineData("Output string")]
    [InlineData("exception message")]
    [InlineData("definition type list")]
    [InlineData("definition string")]
    public void Headers_claiming_two_billion_elements_fail_without_allocating_them(string what)
    {
        var (type, body) = HugeClaim(what);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProtocolException>(() => Decode(type, body));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 1 << 20, $"a {what} claiming 2^31 elements allocated {allocated:N0} bytes");
        Assert.Contains("malformed", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.InnerException); // what MessagePack said is kept
    }

    [Fact]
    public void Negative_counts_are_protocol_errors()
    {
        var buffer = new FrameBuffer();
        new InvokeMessage(1, 1, -1, new byte[] { 0xc0 }).Write(buffer);
        new ResultMessage(1, 0, -5, null, ReadOnlyMemory<byte>.Empty).Write(buffer);
        var reader = new FrameReader(new MemoryStream(buffer.WrittenSpan.ToArray()));

        Assert.True(reader.TryRead(out var invoke));
        using (invoke)
        {
            Assert.Throws<ProtocolException>(() => InvokeMessage.Read(invoke.Body));
        }

        Assert.True(reader.TryRead(out var result));
        using (result)
        {
            Assert.Throws<ProtocolException>(() => ResultMessage.Read(result.Body));
        }
    }

    [Fact]
    public void An_exception_type_that_cannot_be_constructed_comes_back_as_a_remote_task_exception()
    {
        // An open generic type resolves, is an Exception and has the constructors, but cannot be created.
        var info = new ExceptionInfo(typeof(GenericFailureException<>).AssemblyQualifiedName!, "boom", null, null, null);
        var error = Assert.IsType<RemoteTaskException>(RemoteExceptionFactory.Create(info));
        Assert.Equal("boom", error.RemoteMessage);
    }

    /// <summary>Reads every frame of <paramref name="bytes"/> and decodes each, expecting only clean outcomes.</summary>
    private static void ReadAll(string name, byte[] bytes, Random random) => ExpectCleanOutcome(name, () =>
    {
        var reader = new FrameReader(new TrickleStream(bytes, random), maxFrameLength: 1 << 16, bufferSize: random.Next(2) * 32);
        while (reader.TryRead(out var frame))
        {
            using (frame)
            {
                Decode(frame.Type, frame.Body);
            }
        }
    });

    private static void ExpectCleanOutcome(string name, Action decode)
    {
        try
        {
            decode();
        }
        catch (ProtocolException)
        {
            // the one clean failure
        }
        catch (Exception e)
        {
            Assert.Fail($"{name}: {e.GetType().FullName} instead of a ProtocolException: {e}");
        }
    }

    private static void Decode(MessageType type, ReadOnlyMemory<byte> body)
    {
        _ = type switch
        {
            MessageType.Hello => HelloMessage.Read(body),
            MessageType.Define => DefineMessage.Read(body),
            MessageType.Invoke or MessageType.Initialize => InvokeMessage.Read(body),
            MessageType.Result or MessageType.InitializeResult => ResultMessage.Read(body),
            MessageType.Output => OutputMessage.Read(body),
            _ => (object)CallIdMessage.Read(body),
        };
    }

    private static readonly (string Name, Action<ReadOnlyMemory<byte>> Decode)[] Decoders =
    [
        ("Hello", body => HelloMessage.Read(body)),
        ("Define", body => DefineMessage.Read(body)),
        ("Invoke", body => InvokeMessage.Read(body)),
        ("CallId", body => CallIdMessage.Read(body)),
        ("Result", body => ResultMessage.Read(body)),
        ("Output", body => OutputMessage.Read(body)),
        ("ExceptionInfo", body =>
        {
            var reader = new MessagePackReader(body);
            ExceptionInfo.Read(ref reader);
        }),
        ("FunctionDefinition", body =>
        {
            var reader = new MessagePackReader(body);
            FunctionDefinition.Read(ref reader);
        }),
    ];

    private static readonly FunctionDefinition Definition = new(
        "App, Version=1.0.0.0", "/app/App.dll", Guid.NewGuid(), 0x06000001, "App.Functions", "Square",
        ["System.Int32"], TargetKind.Closure, "App.Functions+<>c__DisplayClass0_0", ["System.Int32", "System.String"], "System.Int32");

    /// <summary>One valid body of every message type (two of Result: with and without an error).</summary>
    private static readonly (MessageType Type, byte[] Body)[] Samples = BuildSamples();

    private static (MessageType, byte[])[] BuildSamples()
    {
        var error = ExceptionInfo.From(new InvalidOperationException("outer", new ArgumentException("inner", "p")));
        var writes = new (MessageType, Action<FrameBuffer>)[]
        {
            (MessageType.Hello, b => new HelloMessage(HelloMessage.CurrentProtocolVersion, "token-0123456789", 4242).Write(b)),
            (MessageType.Define, b => new DefineMessage(3, Definition).Write(b)),
            (MessageType.Initialize, b => new InvokeMessage(0, 3, 1, new byte[] { 0x91, 0x07 }).Write(b, MessageType.Initialize)),
            (MessageType.Invoke, b => new InvokeMessage(long.MaxValue, 3, 2, new byte[] { 0x07, 0xcd, 0x01, 0x00 }).Write(b)),
            (MessageType.Cancel, b => new CallIdMessage(77).Write(b, MessageType.Cancel)),
            (MessageType.Withdraw, b => new CallIdMessage(78).Write(b, MessageType.Withdraw)),
            (MessageType.Shutdown, b => new CallIdMessage(0).Write(b, MessageType.Shutdown)),
            (MessageType.Canceled, b => new CallIdMessage(77).Write(b, MessageType.Canceled)),
            (MessageType.Result, b => new ResultMessage(9, 12345, 2, null, new byte[] { 0x31, 0x32 }).Write(b)),
            (MessageType.Result, b => new ResultMessage(10, 99, 1, error, new byte[] { 0x31 }).Write(b)),
            (MessageType.InitializeResult, b => new ResultMessage(0, 5, 1, null, new byte[] { 0xc0 }).Write(b, MessageType.InitializeResult)),
            (MessageType.Output, b => new OutputMessage(true, "a line of output\n").Write(b)),
        };
        return [.. writes.Select(w =>
        {
            var buffer = new FrameBuffer();
            w.Item2(buffer);
            return (w.Item1, buffer.WrittenSpan[FrameBuffer.HeaderLength..].ToArray());
        })];
    }

    /// <summary>A body whose last header claims int.MaxValue elements, with a few bytes behind it.</summary>
    private static (MessageType, byte[]) HugeClaim(string what)
    {
        var buffer = new FrameBuffer();
        var writer = new MessagePackWriter(buffer);
        switch (what)
        {
            case "Hello string":
                writer.Write(1);
                break;
            case "Output string":
                writer.Write(false);
                break;
            case "exception message":
                writer.Write(1L);
                writer.Write(0L);
                writer.Write(0);
                writer.WriteArrayHeader(5);
                writer.Write("System.Exception");
                break;
            default:
                writer.Write(3);
                writer.WriteArrayHeader(11);
                writer.Write("App");
                writer.WriteNil();
                writer.Write(Guid.Empty.ToString("N"));
                writer.Write(1);
                writer.Write("App.Functions");
                if (what == "definition type list")
                {
                    writer.Write("Square"); // the method name; the claim is then the type argument list
                }

                break;
        }

        writer.Flush();
        // str32 or array32 header with a length of int.MaxValue
        buffer.Write([what == "definition type list" ? (byte)0xdd : (byte)0xdb, 0x7f, 0xff, 0xff, 0xff, 0x41, 0x42, 0x43]);
        var type = what switch
        {
            "Hello string" => MessageType.Hello,
            "Output string" => MessageType.Output,
            "exception message" => MessageType.Result,
            _ => MessageType.Define,
        };
        return (type, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Random bytes, often MessagePack headers with extreme lengths, so that decoders get past the first field.</summary>
    private static byte[] MessagePackishBytes(Random random, int length)
    {
        ReadOnlySpan<byte> interesting =
        [
            0xc0, 0xc1, 0xc2, 0xc3, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, // nil, never used, bools, ints
            0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xd4, 0xd8, // str, array, bin, ext
            0x95, 0x9b, 0xa0, 0xa5, 0xbf, 0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe,
        ];
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = random.Next(3) == 0 ? (byte)random.Next(256) : interesting[random.Next(interesting.Length)];
        }

        return bytes;
    }

    /// <summary>A stream that returns its bytes a few at a time, as a socket may.</summary>
    private sealed class TrickleStream(byte[] bytes, Random random) : MemoryStream(bytes, writable: false)
    {
        // MemoryStream sends span reads of a derived type here.
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 8)));
    }
}

/// <summary>An exception type the parent can resolve by name but not construct (open generic).</summary>
#pragma warning disable CA1032 // a test type: only the message constructor matters
public sealed class GenericFailureException<T>(string message) : Exception(message);
#pragma warning restore CA1032

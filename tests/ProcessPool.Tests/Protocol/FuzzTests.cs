using ProcessPool.Serialization;
using System.Buffers.Binary;
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
                bytes[4] = (byte)FuzzInputs.Samples[random.Next(FuzzInputs.Samples.Length)].Type;
            }

            ReadAll($"random stream {i} (seed {Seed})", bytes, random);
        }
    }

    [Fact]
    public void Valid_frames_cut_at_every_length_end_cleanly_only_at_a_boundary()
    {
        var buffer = new FrameBuffer();
        var boundaries = new HashSet<int> { 0 };
        foreach (var (type, body) in FuzzInputs.Samples)
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
            var reader = new FrameReader(new FuzzInputs.TrickleStream(all[..cut], random), bufferSize: cut % 3 == 0 ? 0 : 16);
            int read = 0;
            try
            {
                while (reader.TryRead(out var frame))
                {
                    using (frame)
                    {
                        FuzzInputs.Decode(frame.Type, frame.Body); // a whole frame of a valid message: must decode
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
        foreach (var (type, body) in FuzzInputs.Samples)
        {
            for (int cut = 0; cut < body.Length; cut++)
            {
                ExpectCleanOutcome($"{type} body cut at {cut}", () => FuzzInputs.Decode(type, body.AsMemory(0, cut)));
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
        foreach (var (name, decode) in FuzzInputs.Decoders)
        {
            for (int i = 0; i < 4000; i++)
            {
                byte[] body = FuzzInputs.MessagePackishBytes(random, random.Next(0, 48));
                ExpectCleanOutcome($"{name} random body {i} (seed {Seed}): {Convert.ToHexString(body)}", () => decode(body));
            }
        }
    }

    [Fact]
    public void Bit_flipped_valid_messages_decode_or_fail_with_a_protocol_error()
    {
        var random = new Random(Seed);
        foreach (var (type, body) in FuzzInputs.Samples)
        {
            for (int i = 0; i < 2000; i++)
            {
                byte[] mutated = (byte[])body.Clone();
                for (int flips = random.Next(1, 4); flips > 0; flips--)
                {
                    int bit = random.Next(mutated.Length * 8);
                    mutated[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                ExpectCleanOutcome($"{type} flipped {i} (seed {Seed}): {Convert.ToHexString(mutated)}", () => FuzzInputs.Decode(type, mutated));
            }
        }
    }

    [Theory]
    [InlineData("Hello string")]
    [InlineData("Output string")]
    [InlineData("Unhandled thread string")]
    [InlineData("exception message")]
    [InlineData("definition type list")]
    [InlineData("definition string")]
    public void Headers_claiming_two_billion_elements_fail_without_allocating_them(string what)
    {
        var (type, body) = FuzzInputs.HugeClaim(what);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ProtocolException>(() => FuzzInputs.Decode(type, body));
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
        var info = new ExceptionInfo(typeof(GenericFailureException<>).AssemblyQualifiedName!, "boom", null, [], [], default);
        var error = Assert.IsType<RemoteTaskException>(RemoteExceptionFactory.Create(info, new HashSet<Type>()));
        Assert.Equal("boom", error.RemoteMessage);
    }

    /// <summary>Reads every frame of <paramref name="bytes"/> and decodes each, expecting only clean outcomes.</summary>
    private static void ReadAll(string name, byte[] bytes, Random random) => ExpectCleanOutcome(name, () =>
    {
        var reader = new FrameReader(new FuzzInputs.TrickleStream(bytes, random), maxFrameLength: 1 << 16, bufferSize: random.Next(2) * 32);
        while (reader.TryRead(out var frame))
        {
            using (frame)
            {
                FuzzInputs.Decode(frame.Type, frame.Body);
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
}

/// <summary>An exception type the parent can resolve by name but not construct (open generic).</summary>
#pragma warning disable CA1032 // a test type: only the message constructor matters
public sealed class GenericFailureException<T>(string message) : Exception(message);
#pragma warning restore CA1032

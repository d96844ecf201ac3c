using MessagePack;
using ProcessPool.Protocol;

namespace ProcessPool.Tests.Protocol;

/// <summary>What <see cref="FuzzTests"/> feeds the decoders: valid samples of every message, and ways to spoil them.</summary>
internal static class FuzzInputs
{
    /// <summary>Every decoder of bytes from the other process, by name.</summary>
    public static readonly (string Name, Action<ReadOnlyMemory<byte>> Decode)[] Decoders =
    [
        ("Hello", body => HelloMessage.Read(body)),
        ("Define", body => DefineMessage.Read(body)),
        ("Invoke", body => InvokeMessage.Read(body)),
        ("CallId", body => CallIdMessage.Read(body)),
        ("Result", body => ResultMessage.Read(body)),
        ("Output", body => OutputMessage.Read(body)),
        ("Allow", body => AllowMessage.Read(body)),
        ("Unhandled", body => UnhandledMessage.Read(body)),
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
        "App, Version=1.0.0.0", "/app/App.dll", new Guid("0123456789abcdef0123456789abcdef"), 0x06000001, "App.Functions", "Square",
        ["System.Int32"], TargetKind.Closure, "App.Functions+<>c__DisplayClass0_0", ["System.Int32", "System.String"], "System.Int32");

    /// <summary>One valid body of every message type (two of Result: with and without an error).</summary>
    public static readonly (MessageType Type, byte[] Body)[] Samples = BuildSamples();

    /// <summary>Decodes <paramref name="body"/> as the message type says, as the channel's owners do.</summary>
    public static void Decode(MessageType type, ReadOnlyMemory<byte> body)
    {
        _ = type switch
        {
            MessageType.Hello => HelloMessage.Read(body),
            MessageType.Define => DefineMessage.Read(body),
            MessageType.Invoke or MessageType.Initialize => InvokeMessage.Read(body),
            MessageType.Result or MessageType.InitializeResult => ResultMessage.Read(body),
            MessageType.Output => OutputMessage.Read(body),
            MessageType.Allow => AllowMessage.Read(body),
            MessageType.Unhandled => UnhandledMessage.Read(body),
            _ => (object)CallIdMessage.Read(body),
        };
    }

    private static (MessageType, byte[])[] BuildSamples()
    {
        var failure = new AggregateException("outer", new ArgumentException("inner", "p"), new ArgumentOutOfRangeException("n", -1, "negative"));
        failure.Data["key"] = 42;
        var error = ProcessPool.Serialization.ExceptionState.Capture(failure, ProcessPool.Serialization.PayloadContext.ProcessWide);
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
            (MessageType.Allow, b => new AllowMessage(["App.Shape, App", "App.Circle, App"]).Write(b)),
            (MessageType.Unhandled, b => new UnhandledMessage("thread 'poller' (managed thread 12)", error).Write(b)),
        };
        return [.. writes.Select(w =>
        {
            var buffer = new FrameBuffer();
            w.Item2(buffer);
            return (w.Item1, buffer.WrittenSpan[FrameBuffer.HeaderLength..].ToArray());
        })];
    }

    /// <summary>A body whose last header claims int.MaxValue elements, with a few bytes behind it.</summary>
    public static (MessageType Type, byte[] Body) HugeClaim(string what)
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
            case "Unhandled thread string":
                break; // the thread is the first field
            case "exception message":
                writer.Write(1L);
                writer.Write(0L);
                writer.Write(0);
                writer.WriteArrayHeader(6);
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
            "Unhandled thread string" => MessageType.Unhandled,
            "exception message" => MessageType.Result,
            _ => MessageType.Define,
        };
        return (type, buffer.WrittenSpan.ToArray());
    }

    /// <summary>Random bytes, often MessagePack headers with extreme lengths, so that decoders get past the first field.</summary>
    public static byte[] MessagePackishBytes(Random random, int length)
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
    public sealed class TrickleStream(byte[] bytes, Random random) : MemoryStream(bytes, writable: false)
    {
        // MemoryStream sends span reads of a derived type here.
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(1, 8)));
    }
}

using System.Buffers;
using System.Runtime.ExceptionServices;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Serialization;

/// <summary>
/// Continues a deep value on a thread with a large stack, so a long chain of nested objects neither
/// overflows the caller's stack (a thread-pool thread has about 1.5 MiB) nor has to be refused. Nothing
/// ambient needs to move along: the pool's context and the write's state travel in the options.
/// </summary>
internal static class DeepStack
{
    private const int StackSize = 256 << 20; // reserved, committed only as it is used

    public static ArrayBufferWriter<byte> Write<T>(IMessagePackFormatter<T> formatter, T value, MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Run(() =>
        {
            var writer = new MessagePackWriter(buffer);
            formatter.Serialize(ref writer, value, options);
            writer.Flush();
        });
        return buffer;
    }

    public static (T Value, long Consumed) Read<T>(IMessagePackFormatter<T> formatter, ReadOnlySequence<byte> rest, int depth, MessagePackSerializerOptions options)
    {
        T value = default!;
        long consumed = 0;
        Run(() =>
        {
            var reader = new MessagePackReader(rest) { Depth = depth };
            value = formatter.Deserialize(ref reader, options);
            consumed = reader.Consumed;
        });
        return (value, consumed);
    }

    private static void Run(Action work)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            },
            StackSize)
        {
            IsBackground = true,
            Name = "ProcessPool deep payload",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
    }
}

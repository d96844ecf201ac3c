using System.Buffers;
using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool.Tests.Serialization;

/// <summary>Writes a value as a payload and reads it back in this process, as parent and worker would.</summary>
internal static class PayloadRoundTrip
{
    public static T Of<T>(T value, ISet<Type>? allowedTypes = null)
    {
        var pool = new PayloadContext(allowedTypes ?? new HashSet<Type>(), segments: null);
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        PayloadSerializer.Write(ref writer, value, pool.BeginWrite(sharedMemory: false), "argument 1");
        writer.Flush();
        var reader = new MessagePackReader(buffer.WrittenMemory);
        var result = PayloadSerializer.Read<T>(ref reader, pool.Reading);
        Assert.True(reader.End, "the reader consumed the whole payload");
        return result;
    }

    /// <summary>Runs <paramref name="action"/> on a thread with a small stack, like a thread-pool thread's.</summary>
    public static T OnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 512 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }
}

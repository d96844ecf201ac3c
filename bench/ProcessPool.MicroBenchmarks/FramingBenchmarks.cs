using BenchmarkDotNet.Attributes;
using ProcessPool.Protocol;

namespace ProcessPool.MicroBenchmarks;

/// <summary>Framing: encoding Invoke frames into one buffer, and reading them back.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private const int Frames = 1000;
    private readonly FrameBuffer _buffer = new();
    private readonly byte[] _payload = new byte[16];
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        EncodeInvokeFrames();
        _encoded = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int EncodeInvokeFrames()
    {
        _buffer.Clear();
        for (int i = 0; i < Frames; i++)
        {
            new InvokeMessage(i, 1, 1, _payload).Write(_buffer);
        }

        return _buffer.Length;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public long ReadInvokeFrames()
    {
        var reader = new FrameReader(new MemoryStream(_encoded, writable: false));
        long sum = 0;
        while (reader.TryRead(out var frame))
        {
            using (frame)
            {
                sum += InvokeMessage.Read(frame.Body).CallId;
            }
        }

        return sum;
    }
}

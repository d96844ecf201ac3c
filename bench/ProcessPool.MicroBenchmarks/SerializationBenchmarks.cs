using BenchmarkDotNet.Attributes;
using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.MicroBenchmarks;

/// <summary>Serialization of arguments and results: an int, a small object, a 1M-double array written inline.</summary>
[MemoryDiagnoser]
public class SerializationBenchmarks
{
    private readonly FrameBuffer _buffer = new();
    private readonly Point _point = new(3, 4, "p");
    private readonly double[] _doubles = [.. Enumerable.Range(0, 1_000_000).Select(i => (double)i)];
    private byte[] _int = [];
    private byte[] _object = [];

    [GlobalSetup]
    public void Setup()
    {
        _int = Serialize(42);
        _object = Serialize(_point);
    }

    [Benchmark]
    public int WriteInt() => Serialize(42).Length;

    [Benchmark]
    public int ReadInt()
    {
        var reader = new MessagePackReader(_int);
        return PayloadSerializer.Read<int>(ref reader, PayloadContext.ProcessWide.Reading);
    }

    [Benchmark]
    public int WriteSmallObject() => Serialize(_point).Length;

    [Benchmark]
    public Point ReadSmallObject()
    {
        var reader = new MessagePackReader(_object);
        return PayloadSerializer.Read<Point>(ref reader, PayloadContext.ProcessWide.Reading);
    }

    /// <summary>Outside a pool (no shared-memory directory) a large array is written inline.</summary>
    [Benchmark]
    public int WriteMillionDoublesInline() => Serialize(_doubles).Length;

    private byte[] Serialize<T>(T value)
    {
        _buffer.Clear();
        var writer = new MessagePackWriter(_buffer);
        PayloadSerializer.Write(ref writer, value, PayloadContext.ProcessWide.BeginWrite(sharedMemory: false), "value");
        writer.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>A small object with private state.</summary>
    public sealed record Point(int X, int Y, string Name);
}

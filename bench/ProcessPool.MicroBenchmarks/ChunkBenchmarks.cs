using System.Reflection;
using BenchmarkDotNet.Attributes;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.MicroBenchmarks;

/// <summary>The per-item costs of a Map chunk of 8,192 ints: writing the items, running them in the worker, reading the results.</summary>
[MemoryDiagnoser]
public class ChunkBenchmarks
{
    private const int Items = 8192;
    private readonly FrameBuffer _buffer = new();
    private readonly FrameBuffer _results = new();
    private readonly TypedItemRunner _runner = TypedItemRunner.TryCreate(
        typeof(Functions).GetMethod(nameof(Functions.NoOp), BindingFlags.Public | BindingFlags.Static)!, [typeof(int)], typeof(int))!;

    private byte[] _items = [];

    [GlobalSetup]
    public void Setup()
    {
        WriteItems();
        _items = _buffer.WrittenSpan.ToArray();
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public int WriteItems()
    {
        _buffer.Clear();
        var writer = new MessagePackWriter(_buffer);
        var options = PayloadContext.ProcessWide.BeginWrite(sharedMemory: false);
        for (int i = 0; i < Items; i++)
        {
            PayloadSerializer.Write(ref writer, i, options, "an item");
        }

        writer.Flush();
        return _buffer.Length;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public int RunItemsInWorker()
    {
        _results.Clear();
        var reader = new MessagePackReader(_items);
        var writer = new MessagePackWriter(_results);
        int completed = 0;
        _runner.Run(null, ref reader, ref writer, Items, ref completed, PayloadContext.ProcessWide.BeginWrite(sharedMemory: false), CancellationToken.None);
        writer.Flush();
        return completed;
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public long ReadResults()
    {
        var reader = new MessagePackReader(_items);
        long sum = 0;
        for (int i = 0; i < Items; i++)
        {
            sum += PayloadSerializer.Read<int>(ref reader, PayloadContext.ProcessWide.Reading);
        }

        return sum;
    }
}

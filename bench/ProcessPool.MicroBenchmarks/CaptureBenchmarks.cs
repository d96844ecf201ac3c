using BenchmarkDotNet.Attributes;
using ProcessPool.Invocation;
using ProcessPool.Serialization;

namespace ProcessPool.MicroBenchmarks;

/// <summary>Preparing a call on the submitting thread: finding the function, capturing its closure, writing its arguments.</summary>
[MemoryDiagnoser]
public class CaptureBenchmarks
{
    private readonly int _offset = 5;

    [Benchmark(Baseline = true)]
    public int StaticMethod() => CallPreparer.Prepare(Functions.NoOp, new Arguments<int>(1), PayloadContext.ProcessWide).Payload.Length;

    [Benchmark]
    public int ClosureOfTwoValues()
    {
        int offset = _offset;
        string label = "x";
        Func<int, int> function = x => x + offset + label.Length;
        return CallPreparer.Prepare(function, new Arguments<int>(1), PayloadContext.ProcessWide).Payload.Length;
    }

    [Benchmark]
    public int LookUpFunction() => FunctionDescriptor.For(Functions.NoOp).Id;
}

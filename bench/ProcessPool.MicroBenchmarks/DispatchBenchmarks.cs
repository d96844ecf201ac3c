using BenchmarkDotNet.Attributes;

namespace ProcessPool.MicroBenchmarks;

/// <summary>Dispatch through a warm pool of 2 workers: one round trip, and 1,000 calls in flight together.</summary>
public class DispatchBenchmarks
{
    private const int Batch = 1000;
    private readonly Task<int>[] _tasks = new Task<int>[Batch];
    private ProcessPoolExecutor _pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
        Task.WhenAll(Enumerable.Range(0, 2000).Select(i => _pool.SubmitAsync(Functions.NoOp, i))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    [Benchmark]
    public Task<int> RoundTrip() => _pool.SubmitAsync(Functions.NoOp, 1);

    [Benchmark(OperationsPerInvoke = Batch)]
    public Task ThousandInFlight()
    {
        for (int i = 0; i < Batch; i++)
        {
            _tasks[i] = _pool.SubmitAsync(Functions.NoOp, i);
        }

        return Task.WhenAll(_tasks);
    }
}

namespace ProcessPool.MicroBenchmarks;

/// <summary>The functions the micro-benchmarks send to workers.</summary>
public static class Functions
{
    public static int NoOp(int x) => x;
}

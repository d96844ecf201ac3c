namespace ProcessPool.Benchmarks;

/// <summary>The functions the benchmarks run in workers.</summary>
internal static class Workloads
{
    public static int NoOp(int x) => x;
}

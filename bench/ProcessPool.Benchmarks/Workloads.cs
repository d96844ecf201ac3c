namespace ProcessPool.Benchmarks;

/// <summary>The functions the benchmarks run in workers (with <c>PrimeMath</c>, shared with the demo).</summary>
internal static class Workloads
{
    /// <summary>The Python documentation's PRIMES example.</summary>
    public static readonly long[] Primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];

    public static int NoOp(int x) => x;

    public static byte[] Echo(byte[] data) => data;

    /// <summary>The shared-memory echo: a buffer of the worker's own, filled from the caller's.</summary>
    public static SharedBuffer CopyToOwnBuffer(SharedBuffer argument)
    {
        var result = SharedBuffer.Rent(argument.Length);
        argument.Span.CopyTo(result.Span);
        return result;
    }
}

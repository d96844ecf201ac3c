namespace ProcessPool.Benchmarks;

/// <summary>The functions the benchmarks run in workers, and their in-process references.</summary>
internal static class Workloads
{
    /// <summary>The Python documentation's PRIMES example.</summary>
    public static readonly long[] Primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];

    public static int NoOp(int x) => x;

    public static byte[] Echo(byte[] data) => data;

    /// <summary>Trial division, as in the Python documentation's ProcessPoolExecutor example.</summary>
    public static bool IsPrime(long n)
    {
        if (n < 2)
        {
            return false;
        }

        if (n == 2)
        {
            return true;
        }

        if (n % 2 == 0)
        {
            return false;
        }

        long sqrtN = (long)Math.Floor(Math.Sqrt(n));
        for (long i = 3; i <= sqrtN; i += 2)
        {
            if (n % i == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How many primes lie in [start, end).</summary>
    public static int CountPrimes(long start, long end)
    {
        int found = 0;
        for (long n = start; n < end; n++)
        {
            if (IsPrime(n))
            {
                found++;
            }
        }

        return found;
    }
}

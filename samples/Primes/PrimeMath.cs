/// <summary>The functions the demo runs in worker processes.</summary>
internal static class PrimeMath
{
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

    /// <summary>How many primes lie in [start, start + count).</summary>
    public static int CountPrimes(long start, int count)
    {
        int found = 0;
        for (long n = start; n < start + count; n++)
        {
            if (IsPrime(n))
            {
                found++;
            }
        }

        return found;
    }
}

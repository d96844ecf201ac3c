// The example from Python's documentation for ProcessPoolExecutor, in .NET, plus a larger
// CPU-bound map that shows the speed-up of running in worker processes.
using System.Diagnostics;
using ProcessPool;

long[] primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];
int workers = Environment.ProcessorCount;
Console.WriteLine($"ProcessPool demo on {workers} cores");

var clock = Stopwatch.StartNew();
bool[] expected = [.. primes.Select(PrimeMath.IsPrime)];
var sequential = clock.Elapsed;

await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = workers });
clock.Restart();
int index = 0;
await foreach (bool isPrime in pool.MapAsync(PrimeMath.IsPrime, primes, new MapOptions { ChunkSize = 1 }))
{
    Console.WriteLine($"{primes[index]} is prime: {isPrime}");
    if (isPrime != expected[index++])
    {
        throw new InvalidOperationException("The pool disagrees with the sequential run.");
    }
}

var pooled = clock.Elapsed;
Console.WriteLine();
Console.WriteLine($"PRIMES sequential:            {sequential.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"PRIMES in the pool:           {pooled.TotalMilliseconds,8:F0} ms  (includes starting {workers} workers)");

// A larger map: count the primes below 6,000,000 in 60 blocks.
const int Block = 100_000;
long[] starts = [.. Enumerable.Range(0, 60).Select(i => (long)i * Block)];
clock.Restart();
int expectedCount = starts.Sum(s => PrimeMath.CountPrimes(s, Block));
var sequentialMap = clock.Elapsed;

clock.Restart();
int count = 0;
await foreach (int found in pool.MapAsync(s => PrimeMath.CountPrimes(s, Block), starts))
{
    count += found;
}

var pooledMap = clock.Elapsed;
if (count != expectedCount)
{
    throw new InvalidOperationException("The pool disagrees with the sequential run.");
}

Console.WriteLine($"Primes below 6,000,000:       {count,8}");
Console.WriteLine($"  sequential:                 {sequentialMap.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"  in the pool:                {pooledMap.TotalMilliseconds,8:F0} ms  (speed-up {sequentialMap / pooledMap:F2}x on {workers} workers)");
foreach (var worker in pool.Workers)
{
    Console.WriteLine($"  worker #{worker.WorkerId}: pid {worker.ProcessId}, {worker.TasksCompleted} tasks");
}

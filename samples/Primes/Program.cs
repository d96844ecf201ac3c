// The example from Python's documentation for ProcessPoolExecutor, in .NET, plus a larger
// CPU-bound map that shows the speed-up of running in worker processes.
using System.Diagnostics;
using ProcessPool;

long[] primes = [112272535095293, 112582705942171, 112272535095293, 115280095190773, 115797848077099, 1099726899285419];
int workers = Environment.ProcessorCount;
Console.WriteLine($"ProcessPool demo on {workers} cores");

// Start the workers first, as an app or a host does before its first request (MinWorkers starts
// them with the pool; StartAsync also waits until they are ready): no task pays for their start-up.
var clock = Stopwatch.StartNew();
await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = workers });
await pool.StartAsync();
var startup = clock.Elapsed;

// PRIMES, as in Python's docs, in rounds: this machine may be shared, so the median is shown. The
// first round in the pool also compiles this process's map code (the JIT), which later rounds reuse.
const int Rounds = 5;
var sequentialPrimes = new List<TimeSpan>();
var pooledPrimes = new List<TimeSpan>();
for (int round = 0; round < Rounds; round++)
{
    clock.Restart();
    bool[] expected = [.. primes.Select(PrimeMath.IsPrime)];
    sequentialPrimes.Add(clock.Elapsed);

    clock.Restart();
    int index = 0;
    await foreach (bool isPrime in pool.MapAsync(PrimeMath.IsPrime, primes, new MapOptions { ChunkSize = 1 }))
    {
        if (round == 0)
        {
            Console.WriteLine($"{primes[index]} is prime: {isPrime}");
        }

        if (isPrime != expected[index++])
        {
            throw new InvalidOperationException("The pool disagrees with the sequential run.");
        }
    }

    pooledPrimes.Add(clock.Elapsed);
}

var sequential = Median(sequentialPrimes);
var pooled = Median(pooledPrimes);
Console.WriteLine();
Console.WriteLine($"Starting {workers} workers:           {startup.TotalMilliseconds,8:F0} ms  (once, before any work: StartAsync)");
Console.WriteLine($"PRIMES sequential:            {sequential.TotalMilliseconds,8:F0} ms  (median of {Rounds} rounds)");
Console.WriteLine($"PRIMES in the pool:           {pooled.TotalMilliseconds,8:F0} ms  (speed-up {sequential / pooled:F2}x on {workers} workers; first round {pooledPrimes[0].TotalMilliseconds:F0} ms)");

// A larger map: count the primes below 6,000,000 in 60 blocks. This machine may be shared, so
// each way is timed over several rounds and the median is shown.
const int Block = 100_000;
long[] starts = [.. Enumerable.Range(0, 60).Select(i => (long)i * Block)];
int expectedCount = starts.Sum(s => PrimeMath.CountPrimes(s, Block));
var sequentialTimes = new List<TimeSpan>();
var pooledTimes = new List<TimeSpan>();
var threadedTimes = new List<TimeSpan>();
for (int round = 0; round < Rounds; round++)
{
    clock.Restart();
    int sequentialCount = starts.Sum(s => PrimeMath.CountPrimes(s, Block));
    sequentialTimes.Add(clock.Elapsed);

    clock.Restart();
    int pooledCount = 0;
    await foreach (int found in pool.MapAsync(s => PrimeMath.CountPrimes(s, Block), starts))
    {
        pooledCount += found;
    }

    pooledTimes.Add(clock.Elapsed);

    // The same work on threads of this process: the ceiling this machine's cores allow.
    clock.Restart();
    int threadedCount = 0;
    Parallel.ForEach(starts, s => Interlocked.Add(ref threadedCount, PrimeMath.CountPrimes(s, Block)));
    threadedTimes.Add(clock.Elapsed);

    if (sequentialCount != expectedCount || pooledCount != expectedCount || threadedCount != expectedCount)
    {
        throw new InvalidOperationException("The pool disagrees with the sequential run.");
    }
}

var sequentialMap = Median(sequentialTimes);
var pooledMap = Median(pooledTimes);
var threadedMap = Median(threadedTimes);
Console.WriteLine($"Primes below 6,000,000:       {expectedCount,8}   (median of {Rounds} rounds)");
Console.WriteLine($"  sequential:                 {sequentialMap.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"  in the pool:                {pooledMap.TotalMilliseconds,8:F0} ms  (speed-up {sequentialMap / pooledMap:F2}x on {workers} workers)");
Console.WriteLine($"  Parallel.ForEach, threads:  {threadedMap.TotalMilliseconds,8:F0} ms  (speed-up {sequentialMap / threadedMap:F2}x: what the cores allow)");
foreach (var worker in pool.Workers)
{
    Console.WriteLine($"  worker #{worker.WorkerId}: pid {worker.ProcessId}, {worker.TasksCompleted} tasks");
}

static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);

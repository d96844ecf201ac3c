// ProcessPool's benchmarks. Usage:
//   dotnet run -c Release --project bench/ProcessPool.Benchmarks -- compare [--reps N] [--only ...] [--quick]
//       ProcessPool side by side with Python's pools, Parallel.For and the raw pipe; writes docs/benchmarks.md.
//   dotnet run -c Release --project bench/ProcessPool.Benchmarks -- soak [--duration 60] [--kill-interval-ms 50] [--workers 2] [--items 20000] [--cycles 1000]
//       The reliability soak: chaos (random SIGKILLs), runaway tasks, create/dispose cycles; prints its counts.
// The BenchmarkDotNet micro-benchmarks of the hot paths are in bench/ProcessPool.MicroBenchmarks.
using ProcessPool.Benchmarks.Compare;
using ProcessPool.Benchmarks.Soak;

return args.FirstOrDefault() switch
{
    null or "compare" => await CompareCommand.RunAsync(args.Skip(1).ToArray()),
    "soak" => await SoakCommand.RunAsync(args.Skip(1).ToArray()),
    "raw-pipe-echo" when args.Length == 2 => RawPipe.Echo(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: compare [--reps N] [--only latency,submit,map,payload,cpu,startup] [--quick] [--no-python] [--no-write]");
    Console.Error.WriteLine("       soak [--duration SECONDS] [--kill-interval-ms MS] [--workers N] [--items N] [--cycles N]");
    return 2;
}

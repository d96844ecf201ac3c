// ProcessPool's benchmarks. Usage:
//   dotnet run -c Release --project bench/ProcessPool.Benchmarks -- compare [--reps N] [--only ...] [--quick]
//       ProcessPool side by side with Python's pools, Parallel.For and the raw pipe; writes docs/benchmarks.md.
// The BenchmarkDotNet micro-benchmarks of the hot paths are in bench/ProcessPool.MicroBenchmarks.
using ProcessPool.Benchmarks.Compare;

return args.FirstOrDefault() switch
{
    null or "compare" => await CompareCommand.RunAsync(args.Skip(1).ToArray()),
    "raw-pipe-echo" when args.Length == 2 => RawPipe.Echo(args[1]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: compare [--reps N] [--only latency,submit,map,payload,cpu,startup] [--quick] [--no-python] [--no-write]");
    return 2;
}

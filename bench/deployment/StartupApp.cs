// The app of bench/deployment/startup.sh: it references only the ProcessPool package, and prints the
// time from `new ProcessPoolExecutor` to the first result of a no-op Submit, in ms, for fresh pools
// of one worker (two warm-ups first, so the parent's own JIT is not counted).
using System.Diagnostics;
using System.Globalization;
using ProcessPool;

int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var samples = new List<double>();
for (int i = 0; i < count + 2; i++)
{
    var watch = Stopwatch.StartNew();
    await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 1 });
    await pool.SubmitAsync(Noop.Run, 0);
    if (i >= 2)
    {
        samples.Add(watch.Elapsed.TotalMilliseconds);
    }
}

Console.WriteLine(string.Join(' ', samples.Select(s => s.ToString("F1", CultureInfo.InvariantCulture))));

static class Noop
{
    public static int Run(int x) => x;
}

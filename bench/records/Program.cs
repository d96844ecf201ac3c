using System.Diagnostics;
using ProcessPool;

await using var pool = new ProcessPoolExecutor(new ProcessPoolOptions { MaxWorkers = 2 });
var people = Enumerable.Range(0, 200_000).Select(i => new Person("p" + (i % 100), i % 90)).ToList();
var points = Enumerable.Range(0, 200_000).Select(i => new Point(i, -i)).ToList();
for (int warm = 0; warm < 2; warm++) { await foreach (var _ in pool.MapAsync(Work.AgeOf, people)) { } await foreach (var _ in pool.MapAsync(Work.Sum, points)) { } }
var times = new List<double>(); var times2 = new List<double>();
for (int rep = 0; rep < 5; rep++)
{
    var sw = Stopwatch.StartNew(); long total = 0;
    await foreach (var r in pool.MapAsync(Work.AgeOf, people)) total += r;
    times.Add(sw.Elapsed.TotalMilliseconds);
    sw.Restart();
    await foreach (var r in pool.MapAsync(Work.Sum, points)) total += r;
    times2.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort(); times2.Sort();
Console.WriteLine($"records (class, string+int): median {times[2]:F1} ms for 200k = {200_000 / times[2] * 1000 / 1e6:F2}M items/s; struct records: median {times2[2]:F1} ms = {200_000 / times2[2] * 1000 / 1e6:F2}M items/s");

public sealed record Person(string Name, int Age);
public readonly record struct Point(int X, int Y);
public static class Work
{
    public static int AgeOf(Person p) => p.Age;
    public static int Sum(Point p) => p.X + p.Y;
}

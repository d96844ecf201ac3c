using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// <c>compare [--reps N] [--only latency,submit,map,payload,cpu,startup] [--quick] [--no-python] [--no-write]</c>:
/// runs each workload on ProcessPool and its references, prints one table and writes it to docs/benchmarks.md
/// with a chart per workload (docs/benchmarks/*.png); <c>--quick</c> and <c>--no-write</c> write nothing.
/// </summary>
internal static class CompareCommand
{
    private const string BeginMarker = "<!-- compare:begin -->";
    private const string EndMarker = "<!-- compare:end -->";

    private static readonly string[] AllWorkloads = ["latency", "submit", "map", "payload", "cpu", "startup"];

    public static async Task<int> RunAsync(string[] args)
    {
        int repetitions = 3;
        bool quick = false, python = true, write = true;
        var only = AllWorkloads.ToList();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps" when i + 1 < args.Length:
                    repetitions = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--only" when i + 1 < args.Length:
                    only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)];
                    break;
                case "--quick":
                    quick = true;
                    break;
                case "--no-python":
                    python = false;
                    break;
                case "--no-write":
                    write = false;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: compare [--reps N] [--only {string.Join(',', AllWorkloads)}] [--quick] [--no-python] [--no-write]");
                    return 2;
            }
        }

        if (only.Except(AllWorkloads).ToList() is { Count: > 0 } unknown)
        {
            Console.Error.WriteLine($"Unknown workload(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", AllWorkloads)}.");
            return 2;
        }

        var figures = new Figures();
        var workloads = new PoolWorkloads { Quick = quick };
        foreach (string name in only)
        {
            for (int rep = 1; rep <= repetitions; rep++)
            {
                Console.Error.WriteLine($"ProcessPool: {name}, repetition {rep} of {repetitions}");
                await (name switch
                {
                    "latency" => workloads.LatencyAsync(figures),
                    "submit" => workloads.SubmitAsync(figures),
                    "map" => workloads.MapAsync(figures),
                    "payload" => workloads.PayloadAsync(figures),
                    "cpu" => workloads.CpuAsync(figures),
                    _ => workloads.StartupAsync(figures),
                });
            }
        }

        string root = RepositoryRoot();
        string? pythonVersion = null;
        if (python)
        {
            Console.Error.WriteLine("Python references (bench/python/reference.py)");
            pythonVersion = await PythonReference.MeasureAsync(root, repetitions, quick, only, figures);
        }

        ComparisonTable.Derive(figures);
        string commandLine = "dotnet run -c Release --project bench/ProcessPool.Benchmarks -- compare" + (args.Length > 0 ? " " + string.Join(' ', args) : "");
        string run = string.Create(CultureInfo.InvariantCulture,
            $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, Python {pythonVersion ?? "not run"}; median of {repetitions} repetitions; 2 workers.");
        var report = new StringBuilder();
        report.AppendLine(run);
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Command: `{commandLine}`");
        report.AppendLine();
        report.Append(ComparisonTable.Render(figures));
        Console.WriteLine();
        Console.WriteLine(report);

        if (write && !quick)
        {
            var images = await ComparisonCharts.DrawAsync(root, ComparisonCharts.Group(figures, run));
            report.AppendLine().Append(ComparisonCharts.Markdown(images));
            string docs = Path.Combine(root, "docs", "benchmarks.md");
            WriteSection(docs, report.ToString());
            Console.WriteLine($"Written to {docs}.");
        }

        return 0;
    }

    /// <summary>Replaces the text between the compare markers (or appends a section with them).</summary>
    private static void WriteSection(string path, string section)
    {
        string text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n";
        string block = $"{BeginMarker}\n{section.TrimEnd()}\n{EndMarker}";
        int begin = text.IndexOf(BeginMarker, StringComparison.Ordinal);
        int end = text.IndexOf(EndMarker, StringComparison.Ordinal);
        text = begin >= 0 && end > begin
            ? string.Concat(text.AsSpan(0, begin), block, text.AsSpan(end + EndMarker.Length))
            : text.TrimEnd() + "\n\n## Side by side (the compare runner)\n\n" + block + "\n";
        File.WriteAllText(path, text);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProcessPool.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}

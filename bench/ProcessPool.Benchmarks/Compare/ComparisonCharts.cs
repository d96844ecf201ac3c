using System.Diagnostics;
using System.Globalization;
using ProcessPool.Charts;

namespace ProcessPool.Benchmarks.Compare;

/// <summary>
/// The comparison as pictures: the table's rows, grouped by workload, go to docs/benchmarks/figures.json,
/// and bench/ProcessPool.Charts draws one PNG per group beside it. The drawing is a program of its own
/// so that ScottPlot stays out of this program's deps.json, which the pool's workers start with.
/// </summary>
internal static class ComparisonCharts
{
    private static readonly Dictionary<string, string> Titles = new()
    {
        ["latency"] = "Latency: one no-op call, round trip, on a warm pool",
        ["submit"] = "Submit: 100,000 no-op calls started together, awaited with WhenAll",
        ["map"] = "Map: 1,000,000 tiny items, automatic chunking",
        ["payload"] = "Payload: echo of a byte[] through one worker",
        ["cpu"] = "CPU-bound work on 2 workers",
        ["startup"] = "Start-up: a new pool to its first result, and an idle worker",
    };

    /// <summary>The measured rows as charts: a group per workload, a panel per ProcessPool figure.</summary>
    public static ChartFigures Group(Figures figures, string run)
    {
        var groups = ComparisonTable.Rows
            .Where(row => figures[row.PoolKey] is not null)
            .GroupBy(row => row.Group)
            .Select(rows => new ChartGroup(
                rows.Key,
                Titles.GetValueOrDefault(rows.Key, rows.Key),
                [.. rows.GroupBy(row => (row.Workload, row.PoolKey)).Select(panel => Panel([.. panel], figures))]));
        return new ChartFigures(run, [.. groups]);
    }

    /// <summary>
    /// Writes the figures file into docs/benchmarks/ and draws the charts there (with <c>dotnet run</c>,
    /// which builds the chart program first). Returns the images drawn, as paths relative to docs/.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DrawAsync(string repositoryRoot, ChartFigures charts)
    {
        string folder = Path.Combine(repositoryRoot, "docs", "benchmarks");
        Directory.CreateDirectory(folder);
        string figuresFile = Path.Combine(folder, "figures.json");
        await File.WriteAllTextAsync(figuresFile, charts.ToJson());

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        string project = Path.Combine(repositoryRoot, "bench", "ProcessPool.Charts");
        foreach (string argument in (string[])["run", "-c", "Release", "--project", project, "--", figuresFile, folder])
        {
            start.ArgumentList.Add(argument);
        }

        Console.Error.WriteLine("Charts (bench/ProcessPool.Charts)");
        using var process = TryStart(start);
        if (process is null)
        {
            Console.Error.WriteLine("dotnet was not found on PATH: the charts are not drawn.");
            return [];
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"The charts were not drawn (exit code {process.ExitCode}):\n{await output}{await errors}");
            return [];
        }

        return [.. charts.Groups.Select(group => $"benchmarks/{group.Key}.png").Where(image => File.Exists(Path.Combine(repositoryRoot, "docs", image)))];
    }

    /// <summary>The images as Markdown, for docs/benchmarks.md (paths relative to docs/).</summary>
    public static string Markdown(IReadOnlyList<string> images) =>
        string.Join("\n", images.Select(image => $"![{Path.GetFileNameWithoutExtension(image)}]({image})\n"));

    private static Process? TryStart(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static ChartPanel Panel(IReadOnlyList<ComparisonTable.Row> rows, Figures figures)
    {
        var first = rows[0];
        string unit = figures.UnitOf(first.PoolKey); // the references' own may be blank (Python's speed-ups)
        var bars = new List<ChartBar> { Bar("ProcessPool", figures[first.PoolKey]!.Value, unit, isProcessPool: true) };
        foreach (var row in rows.Where(row => figures[row.ReferenceKey] is > 0))
        {
            bars.Add(Bar(row.Reference, figures[row.ReferenceKey]!.Value, unit, isProcessPool: false));
        }

        bool lowerIsBetter = first.Better == ComparisonTable.Better.Lower;
        return new ChartPanel(first.Workload, unit, lowerIsBetter, Targets(rows, lowerIsBetter), bars);
    }

    private static ChartBar Bar(string name, double value, string unit, bool isProcessPool) =>
        new(name, value, unit == "x" ? $"{ComparisonTable.Format(value)}x" : $"{ComparisonTable.Format(value)} {unit}", isProcessPool);

    /// <summary>The panel's targets and notes, as in the table: "target ≤ 1.5x raw pipe, ≤ 0.1x Python PPE; short: 6 items".</summary>
    private static string Targets(IReadOnlyList<ComparisonTable.Row> rows, bool lowerIsBetter)
    {
        var ratios = rows
            .Where(row => row.Target is not null)
            .Select(row => string.Create(CultureInfo.InvariantCulture, $"{(lowerIsBetter ? "≤" : "≥")} {row.Target:0.##}x {row.Reference}"))
            .ToList();
        var notes = rows.Select(row => row.Note).OfType<string>().Distinct();
        return string.Join("; ", (ratios.Count > 0 ? ["target " + string.Join(", ", ratios)] : Enumerable.Empty<string>()).Concat(notes));
    }
}

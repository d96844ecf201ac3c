// Draws the comparison runner's charts: one PNG per workload group, named after the group.
// Usage: dotnet run -c Release --project bench/ProcessPool.Charts -- <figures.json> <output folder>
// The runner (`compare`, full runs) writes docs/benchmarks/figures.json and starts this program itself.
using ProcessPool.Charts;
using ScottPlot;

if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: ProcessPool.Charts <figures.json> <output folder>");
    return 2;
}

var figures = ChartFigures.FromJson(File.ReadAllText(args[0]));
Directory.CreateDirectory(args[1]);

// A sans-serif face where the machine has one (ScottPlot's own pick may be a serif).
if (Fonts.GetTypeface("DejaVu Sans", bold: false, italic: false)?.FamilyName == "DejaVu Sans")
{
    Fonts.Default = "DejaVu Sans";
}

foreach (var group in figures.Groups.Where(g => g.Panels.Count > 0))
{
    string path = Path.Combine(args[1], group.Key + ".png");
    GroupChart.SavePng(group, figures.Run, path);
    Console.WriteLine(path);
}

return 0;

using System.Text.Encodings.Web;
using System.Text.Json;

namespace ProcessPool.Charts;

// The file the comparison runner writes and the chart program reads (docs/benchmarks/figures.json).
// This one file is compiled into both programs, so the two agree on it.

/// <summary>One comparison run, grouped for charting: one chart per group.</summary>
internal sealed record ChartFigures(string Run, IReadOnlyList<ChartGroup> Groups)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // µs and ≤ as they are: the file is read by people too
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ChartFigures FromJson(string json) =>
        JsonSerializer.Deserialize<ChartFigures>(json, Json) ?? throw new InvalidDataException("The figures file is empty.");
}

/// <summary>One workload's chart (its image is <c>{Key}.png</c>): a panel per measured figure.</summary>
internal sealed record ChartGroup(string Key, string Title, IReadOnlyList<ChartPanel> Panels);

/// <summary>One figure of ProcessPool beside the same figure of each reference, and the targets set for it.</summary>
internal sealed record ChartPanel(string Metric, string Unit, bool LowerIsBetter, string Targets, IReadOnlyList<ChartBar> Bars);

/// <summary>One bar: a value and the text printed at its end.</summary>
internal sealed record ChartBar(string Name, double Value, string Label, bool IsProcessPool);

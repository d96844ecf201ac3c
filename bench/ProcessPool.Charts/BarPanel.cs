using ScottPlot;
using ScottPlot.TickGenerators;

namespace ProcessPool.Charts;

/// <summary>
/// One figure as a panel of horizontal bars: ProcessPool on top in blue, each reference below it in
/// grey, the value printed at the end of each bar. Where the bars differ by more than
/// <see cref="LogScaleRatio"/> the axis is logarithmic, so the short bars stay readable.
/// </summary>
internal static class BarPanel
{
    private const double LogScaleRatio = 20;
    private const int BarHeight = 34;
    private const int FrameHeight = 95; // title, axis ticks and axis label

    private static readonly Color PoolColor = Color.FromHex("#1F6FB4");
    private static readonly Color ReferenceColor = Color.FromHex("#9AA3AD");

    /// <summary>The panel's height in pixels: room for its bars and their names.</summary>
    public static int HeightOf(ChartPanel panel) => FrameHeight + (BarHeight * panel.Bars.Count);

    public static Plot Create(ChartPanel panel)
    {
        var plot = new Plot();
        double smallest = panel.Bars.Min(b => b.Value);
        double largest = panel.Bars.Max(b => b.Value);
        bool logarithmic = smallest > 0 && largest / smallest >= LogScaleRatio;
        var scale = logarithmic ? Scale.Logarithmic(smallest, largest) : Scale.Linear(largest);

        var bars = panel.Bars.Select((bar, i) => new Bar
        {
            Position = panel.Bars.Count - 1 - i, // the first (ProcessPool) on top
            Value = scale.ToAxis(bar.Value),
            ValueBase = scale.Start,
            Label = bar.Label,
            FillColor = bar.IsProcessPool ? PoolColor : ReferenceColor,
            LineWidth = 0,
            Size = 0.7,
            Orientation = Orientation.Horizontal,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 14;

        plot.Axes.Left.TickGenerator = new NumericManual(
            [.. bars.Select(b => b.Position)],
            [.. panel.Bars.Select(b => b.Name)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickLabelStyle.FontSize = 14;
        plot.Axes.Bottom.TickGenerator = scale.Ticks();
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Bottom.Label.Text = panel.Unit + (logarithmic ? ", log scale" : "") + (panel.LowerIsBetter ? " — lower is better" : " — higher is better")
            + (panel.Targets.Length > 0 ? "; " + panel.Targets : "");
        plot.Axes.Bottom.Label.FontSize = 13;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Grid.YAxisStyle.IsVisible = false;
        plot.Title(panel.Metric, 16);

        // Room after the longest bar for its label.
        plot.Axes.SetLimits(scale.Start, scale.End, -0.6, panel.Bars.Count - 0.4);
        return plot;
    }

    /// <summary>How values map onto the axis, where the axis starts and ends, and its ticks.</summary>
    private sealed record Scale(double Start, double End, bool IsLog)
    {
        public static Scale Linear(double largest) => new(0, largest * 1.35, false);

        /// <summary>Whole decades, from one below the smallest value to past the largest's label.</summary>
        public static Scale Logarithmic(double smallest, double largest) =>
            new(Math.Floor(Math.Log10(smallest) - 0.3), Math.Log10(largest) + (0.35 * Math.Max(1, Math.Log10(largest / smallest))), true);

        public double ToAxis(double value) => IsLog ? Math.Log10(value) : value;

        public ITickGenerator Ticks()
        {
            if (!IsLog)
            {
                return new NumericAutomatic { LabelFormatter = Number.Short, TickDensity = 0.5 };
            }

            var ticks = new NumericManual();
            for (int decade = (int)Start; decade <= Math.Ceiling(End); decade++)
            {
                ticks.AddMajor(decade, Number.Short(Math.Pow(10, decade)));
                for (int step = 2; step < 10; step++)
                {
                    ticks.AddMinor(decade + Math.Log10(step));
                }
            }

            return ticks;
        }
    }
}

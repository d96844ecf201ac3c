using ScottPlot;
using SkiaSharp;

namespace ProcessPool.Charts;

/// <summary>
/// One workload group as one PNG: a heading, the group's panels stacked with their axes aligned,
/// and the run they come from in small print.
/// </summary>
internal static class GroupChart
{
    private const int Width = 1000;
    private const int HeadingHeight = 48;
    private const int FooterHeight = 34;

    // Fixed room for the bar names and the value after the longest bar, the same in every panel so
    // that their axes line up.
    private static readonly PixelPadding PanelPadding = new(left: 250, right: 30, bottom: 50, top: 40);

    public static void SavePng(ChartGroup group, string run, string path)
    {
        int height = HeadingHeight + group.Panels.Sum(BarPanel.HeightOf) + FooterHeight;
        using var surface = SKSurface.Create(new SKImageInfo(Width, height));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        DrawText(canvas, group.Title, 20, 34, 22, bold: true, SKColors.Black);

        float top = HeadingHeight;
        foreach (var panel in group.Panels)
        {
            var plot = BarPanel.Create(panel);
            plot.Layout.Fixed(PanelPadding);
            int panelHeight = BarPanel.HeightOf(panel);

            // Each panel on a surface of its own: a plot clears the whole canvas it is drawn on.
            using var panelSurface = SKSurface.Create(new SKImageInfo(Width, panelHeight));
            plot.Render(panelSurface);
            using var panelImage = panelSurface.Snapshot();
            canvas.DrawImage(panelImage, 0, top);
            top += panelHeight;
        }

        DrawText(canvas, run, 20, height - 12, 12, bold: false, SKColors.DimGray);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void DrawText(SKCanvas canvas, string text, float x, float y, float size, bool bold, SKColor color)
    {
        using var font = new SKFont(Fonts.GetTypeface(Fonts.Default, bold, italic: false), size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        canvas.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }
}

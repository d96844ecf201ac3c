using System.Globalization;

namespace ProcessPool.Charts;

/// <summary>Axis numbers as people read them: 2.5, 40, 300, 10k, 1.5M.</summary>
internal static class Number
{
    public static string Short(double value) => Math.Abs(value) switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.###", CultureInfo.InvariantCulture),
    };
}

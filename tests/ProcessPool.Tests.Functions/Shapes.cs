namespace ProcessPool.Tests.Functions;

/// <summary>Values declared as an interface, an abstract class or object: they travel only as <see cref="ProcessPoolOptions.AllowedTypes"/> allow.</summary>
public interface IShape
{
    double Area { get; }
}

public sealed class Circle : IShape
{
    public double Radius { get; set; }

    public double Area => Math.PI * Radius * Radius;
}

/// <summary>Never listed in AllowedTypes by any test.</summary>
public sealed class UnlistedCircle : IShape
{
    public double Area => 1;
}

public sealed class Point
{
    public int X { get; set; }

    public int Y { get; set; }
}

/// <summary>Never listed in AllowedTypes by any test: shows what happens without the list.</summary>
public sealed class UnlistedPoint
{
    public int X { get; set; }

    public int Y { get; set; }
}

public static class Shapes
{
    public static string TypeNameOf(object value) => value.GetType().Name;

    public static double AreaOf(IShape shape) => shape.Area;

    public static object Echo(object value) => value;

    public static object MakePoint(int x, int y) => new Point { X = x, Y = y };
}

/// <summary>An allowed type with a field declared as object: typed values can nest inside it.</summary>
public sealed class Box
{
    public object? Inner { get; set; }
}

public static class MoreShapes
{
    public static double AreaOrZero(IShape? shape) => shape?.Area ?? 0;
}

namespace ProcessPool.Tests.Serialization;

public readonly record struct GridPoint(int X, int Y);

public sealed record Person(string Name, int Age);

/// <summary>A constructor whose parameter names do not match the members: MessagePack cannot build it.</summary>
public sealed class Temperature
{
    private readonly double _celsius;

    public Temperature(double degrees) => _celsius = degrees;

    public double Celsius => _celsius;

    public string Label { get; } = "temp";
}

public sealed class LinkedNode
{
    public int Value { get; set; }

    public LinkedNode? Next { get; set; }

    public static LinkedNode Chain(int length)
    {
        var head = new LinkedNode { Value = 0 };
        var node = head;
        for (int i = 1; i < length; i++)
        {
            node.Next = new LinkedNode { Value = i };
            node = node.Next;
        }

        return head;
    }

    public int Length()
    {
        int n = 0;
        for (var node = this; node is not null; node = node.Next)
        {
            n++;
        }

        return n;
    }
}

public class Animal
{
    public string Name { get; set; } = "";
}

public sealed class Dog : Animal
{
    public bool GoodBoy { get; set; } = true;
}

public sealed class Simulation
{
    public int Steps { get; set; } = 3;

    public Random Rng { get; set; } = new(1);
}

public sealed class Matcher
{
    public System.Text.RegularExpressions.Regex Pattern { get; set; } = new("a+");
}

public sealed class Holder
{
    public object? Value { get; set; }
}

public sealed class WithIgnored
{
    public int Kept { get; set; } = 1;

    [NotShipped]
    public string? Local { get; set; } = "parent only";

    [NonSerialized]
    private string? _transient = "parent only";

    public string? Transient => _transient;
}

[System.Runtime.CompilerServices.InlineArray(8)]
public struct EightInts
{
    private int _element;
}

public struct Sample
{
    private EightInts _values;

    public double Weight { get; set; }

    public int this[int index]
    {
        readonly get => _values[index];
        set => _values[index] = value;
    }
}

public sealed record Credentials(string User, [NotShipped] string Secret);

[System.Runtime.CompilerServices.InlineArray(3)]
public struct ThreeNames
{
    private string? _element;
}

public sealed class HasNames
{
    private ThreeNames _names;

    public string? this[int index]
    {
        get => _names[index];
        set => _names[index] = value;
    }
}

/// <summary>An app collection with state of its own: MessagePack would copy only the elements.</summary>
public sealed class Basket : List<int>
{
    public string Owner { get; set; } = "";
}

/// <summary>An app collection without state of its own: its elements are all there is.</summary>
public sealed class PlainBasket : List<int>;

public abstract class ChainItem;

public sealed class ChainEnd : ChainItem;

public sealed class ChainLink : ChainItem
{
    public ChainItem? Next { get; set; }
}

namespace ProcessPool.Tests.Functions;

/// <summary>A serializable object whose instance methods run in workers.</summary>
public sealed class Counter
{
    public int Start { get; set; }

    public string Name { get; set; } = "";

    public int AddTo(int x) => Start + x;

    public string Describe() => $"{Name}:{Start}";
}

/// <summary>Set in each worker by a pool initializer.</summary>
public static class WorkerState
{
    public static string? Value { get; private set; }

    public static void Initialize(string value) => Value = value;

    public static string? Read() => Value;

    public static void FailInitialization() => throw new InvalidOperationException("initializer refused");
}

/// <summary>An immutable object: private readonly state, set only by its constructor.</summary>
public sealed class Multiplier
{
    private readonly int _factor;
    private readonly string _label;

    public Multiplier(int factor, string label)
    {
        _factor = factor;
        _label = label;
    }

    public string Apply(int x) => $"{_label}{x * _factor}";
}

/// <summary>A derived object whose base class holds private state too.</summary>
public class Shape
{
    private readonly double _scale;

    public Shape(double scale) => _scale = scale;

    public double Scaled(double x) => x * _scale;
}

public sealed class Square : Shape
{
    private readonly double _side;

    public Square(double side, double scale) : base(scale) => _side = side;

    public double Area() => Scaled(_side * _side);
}

/// <summary>Builds lambdas that capture both a local and <c>this</c>.</summary>
public sealed class Greeter
{
    private readonly string _greeting;

    public Greeter(string greeting) => _greeting = greeting;

    public Func<int, string> Make()
    {
        int offset = 1;
        return x => $"{_greeting} {x + offset}";
    }
}

/// <summary>A base class whose lambda captures <c>this</c>; the subclass overrides what it calls.</summary>
public class Job
{
    public virtual int Advance(int v) => v;

    public Func<int, int> Make()
    {
        int k = 1;
        return v => Advance(v) + k;
    }
}

public sealed class DoubleJob : Job
{
    public override int Advance(int v) => v * 2;
}

/// <summary>An object with an event nobody subscribed to, and a method to run.</summary>
public sealed class Observable
{
    public event EventHandler? Changed;

    public int Value { get; set; }

    public int Twice() => Value * 2;

    public void Raise() => Changed?.Invoke(this, EventArgs.Empty);
}

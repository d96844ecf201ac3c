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

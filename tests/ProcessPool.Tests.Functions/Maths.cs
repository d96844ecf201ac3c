namespace ProcessPool.Tests.Functions;

/// <summary>Well-behaved functions the tests run in workers.</summary>
public static class Maths
{
    public static int Square(int x) => x * x;

    public static async Task<int> SquareAsync(int x)
    {
        await Task.Yield();
        return x * x;
    }

    public static int Add(int x, int y) => x + y;

    public static async Task<int> AddAsync(int x, int y)
    {
        await Task.Yield();
        return x + y;
    }

    /// <summary>A synchronous function that takes a token: it fails if its token is not one a cancellation can reach.</summary>
    public static int SquareWithToken(int x, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? x * x : throw new InvalidOperationException("The token cannot be cancelled.");

    public static int AddWithToken(int x, int y, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? x + y : throw new InvalidOperationException("The token cannot be cancelled.");

    public static async ValueTask<int> AddValueTaskAsync(int x, int y, CancellationToken cancellationToken)
    {
        await Task.Delay(1, cancellationToken);
        return x + y;
    }

    public static string Join(string a, int b, double c) => $"{a}|{b}|{c}";

    public static int Zero() => 0;

    public static T Identity<T>(T value) => value;

    public static byte[] Echo(byte[] data) => data;

    public static int ProcessId() => Environment.ProcessId;

    public static int ProcessIdOf(int ignored) => Environment.ProcessId;

    public static async Task<int> SlowAsync(int x, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        return x * 2;
    }

    /// <summary>Burns CPU for roughly <paramref name="iterations"/> steps; returns a checksum.</summary>
    public static long Spin(int iterations)
    {
        long acc = 0;
        for (int i = 0; i < iterations; i++)
        {
            acc = (acc * 31) + i;
        }

        return acc;
    }

    public static string? EnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    public static string CurrentDirectory() => Environment.CurrentDirectory;

    public static string? ReadStandardInput() => Console.In.ReadLine();

    public static void Print(string text)
    {
        Console.WriteLine("out: " + text);
        Console.Error.WriteLine("err: " + text);
    }
}

/// <summary>Large arrays, which travel through shared memory.</summary>
public static class Arrays
{
    public static double[] Reverse(double[] values) => [.. values.Reverse()];

    public static int[] Increment(int[] values) => [.. values.Select(v => v + 1)];

    public static Samples Scale(Samples samples, double factor) => samples with { Values = [.. samples.Values.Select(v => v * factor)] };

    public static int Length(byte[] data) => data.Length;
}

/// <summary>A record whose large array field travels through shared memory.</summary>
public sealed record Samples(string Name, double[] Values);

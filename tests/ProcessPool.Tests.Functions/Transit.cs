using System.Reflection;
using System.Reflection.Emit;
using MessagePack;
using MessagePack.Formatters;

namespace ProcessPool.Tests.Functions;

/// <summary>Functions that report what arrived in the worker, or send back values that are hard to carry.</summary>
public static class Transit
{
    public static string DescribeDate(DateTime value) => $"{value.Ticks}:{value.Kind}";

    public static DateTime SameDate(DateTime value) => value;

    public static string TypeOf(object? value) => value?.GetType().FullName ?? "null";

    public static int SumKeys(Dictionary<(int, int), int> values) => values.Sum(p => p.Key.Item1 + p.Key.Item2 + p.Value);

    public static Dictionary<Coordinate, int> CountCoordinates(int n) =>
        Enumerable.Range(0, n).ToDictionary(i => new Coordinate(i, -i), i => i);

    public static HashSet<Coordinate> Coordinates(int n) => [.. Enumerable.Range(0, n).Select(i => new Coordinate(i, i))];

    public static bool HasKeyIgnoringCase(Dictionary<string, int> values, string key) => values.ContainsKey(key);

    public static double Celsius(Reading reading) => reading.Celsius;

    public static Reading MakeReading(double degrees) => new(degrees);

    public static int ChainLength(Link head)
    {
        int n = 0;
        for (var link = head; link is not null; link = link.Next)
        {
            n++;
        }

        return n;
    }

    public static Link MakeChain(int length)
    {
        var head = new Link(0);
        var link = head;
        for (int i = 1; i < length; i++)
        {
            link.Next = new Link(i);
            link = link.Next;
        }

        return head;
    }

    public static Fragile Echo(Fragile value) => value;

    public static Fragile MakeFragile(int value) => new() { Value = value };

    public static async ValueTask<int> SquareValueTaskAsync(int x)
    {
        await Task.Yield();
        return x * x;
    }

    public static ValueTask<int> SquareSynchronousValueTask(int x) => new(x * x);

    public static async ValueTask TouchValueTaskAsync(string path)
    {
        await Task.Yield();
        await File.WriteAllTextAsync(path, "touched");
    }

    public static async ValueTask<int> DelayValueTaskAsync(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return milliseconds;
    }
}

public readonly record struct Coordinate(int X, int Y);

/// <summary>A constructor whose parameter does not match the member it sets: MessagePack alone cannot build it.</summary>
public sealed class Reading
{
    private readonly double _celsius;

    public Reading(double degrees) => _celsius = degrees;

    public double Celsius => _celsius;
}

public sealed class Link(int value)
{
    public int Value { get; } = value;

    public Link? Next { get; set; }
}

/// <summary>Reads back only in the process that wrote it: shows what happens when a payload cannot be read.</summary>
[MessagePackFormatter(typeof(FragileFormatter))]
public sealed class Fragile
{
    public int Value { get; set; }
}

public sealed class FragileFormatter : IMessagePackFormatter<Fragile?>
{
    public void Serialize(ref MessagePackWriter writer, Fragile? value, MessagePackSerializerOptions options)
    {
        writer.WriteArrayHeader(2);
        writer.Write(Environment.ProcessId);
        writer.Write(value?.Value ?? 0);
    }

    public Fragile? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        reader.ReadArrayHeader();
        int writer = reader.ReadInt32();
        int value = reader.ReadInt32();
        return writer != Environment.ProcessId
            ? throw new InvalidDataException($"written by process {writer}; only that process can read it")
            : new Fragile { Value = value };
    }
}

/// <summary>Exceptions that lose detail when rebuilt from a type and a message alone.</summary>
public static class Failures
{
    public static int ThrowAggregate() => throw new AggregateException("agg", new ArgumentException("a1"), new FormatException("f2"));

    public static int ThrowIfNegative(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value;
    }

    public static int TouchBrokenType() => BrokenStatics.Value;

    public static int ThrowOrderFailure(int orderId)
    {
        var failure = new OrderFailedException($"order {orderId} failed", orderId) { Tags = ["late", "paid"], Attachment = new MemoryStream() };
        failure.Data["attempt"] = 3;
        failure.Data["when"] = new DateTime(2026, 12, 6, 7, 8, 9, DateTimeKind.Local);
        failure.Data["stream"] = new MemoryStream(); // cannot travel: left out
        throw failure;
    }

    public static int ThrowObjectDisposed() => throw new ObjectDisposedException("the-widget", "gone");

    /// <summary>Throws an exception type made at run time in the worker, which the parent cannot have loaded.</summary>
    public static int ThrowTypeTheParentLacks(string message)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("WorkerOnly" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("WorkerOnly").DefineType("WorkerOnlyException", TypeAttributes.Public, typeof(Exception));
        var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(string), typeof(Exception)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Ldarg_2);
        il.Emit(OpCodes.Call, typeof(Exception).GetConstructor([typeof(string), typeof(Exception)])!);
        il.Emit(OpCodes.Ret);
        var inner = new AggregateException(new FormatException("first"), new TimeoutException("second"));
        throw (Exception)Activator.CreateInstance(type.CreateType(), message, inner)!;
    }

    private static class BrokenStatics
    {
        public static readonly int Value = int.Parse("not a number", System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class OrderFailedException(string message, int orderId) : Exception(message)
{
    public int OrderId { get; } = orderId;

    public List<string> Tags { get; init; } = [];

    public Stream? Attachment { get; init; }
}

public sealed class Money
{
    public decimal Amount { get; set; }
}

public sealed class Detail
{
    public object? Extra { get; set; }
}

public sealed class DetailedException(string message) : Exception(message)
{
    public Detail? Info { get; init; }
}

/// <summary>An exception that refers to itself, twice.</summary>
public sealed class LoopingException(string message) : Exception(message)
{
    public LoopingException? Cause { get; set; }

    public LoopingException? Root { get; set; }
}

public static class HardFailures
{
    public static int ThrowDetailed(int amount)
    {
        var failure = new DetailedException("detailed") { Info = new Detail { Extra = new Money { Amount = amount } } };
        failure.Data["money"] = new Money { Amount = amount };
        failure.Data["plain"] = "still here";
        throw failure;
    }

    public static int ThrowLooping(int ignored)
    {
        var failure = new LoopingException("looping");
        failure.Cause = failure;
        failure.Root = failure;
        throw failure;
    }

    public static CancellationToken TokenOf(int ignored) => CancellationToken.None;

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<int> PooledValueTaskAsync(int x)
    {
        await Task.Delay(1);
        return x + 1;
    }

    public static ValueTask<int> FromChannelAsync(int x)
    {
        var channel = System.Threading.Channels.Channel.CreateUnbounded<int>();
        _ = Task.Run(async () =>
        {
            await Task.Delay(5);
            channel.Writer.TryWrite(x * 3);
        });
        return channel.Reader.ReadAsync();
    }
}

using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>Writes one call's arguments; generic structs so that Submit boxes nothing.</summary>
internal interface IArgumentWriter
{
    /// <summary>
    /// The first argument that is a <see cref="CancellationToken"/>: such arguments are not sent, the
    /// worker passes the call's own token, so this one becomes the call's token when Submit got none.
    /// </summary>
    CancellationToken Token { get; }

    /// <summary>How many arguments there are.</summary>
    int Count { get; }

    /// <summary>One argument, boxed: only for backends other than the pool, which read arguments as objects.</summary>
    object? Get(int index);

    void Write(ref MessagePackWriter writer, PayloadOptions options);
}

internal readonly struct NoArguments : IArgumentWriter
{
    public CancellationToken Token => default;

    public int Count => 0;

    public object? Get(int index) => throw new ArgumentOutOfRangeException(nameof(index));

    public void Write(ref MessagePackWriter writer, PayloadOptions options)
    {
    }
}

internal readonly struct Arguments<T1>(T1 arg1) : IArgumentWriter
{
    public CancellationToken Token => arg1 is CancellationToken t1 ? t1 : default;

    public int Count => 1;

    public object? Get(int index) => index == 0 ? arg1 : throw new ArgumentOutOfRangeException(nameof(index));

    public void Write(ref MessagePackWriter writer, PayloadOptions options) => PayloadSerializer.Write(ref writer, arg1, options, "argument 1");
}

internal readonly struct Arguments<T1, T2>(T1 arg1, T2 arg2) : IArgumentWriter
{
    public CancellationToken Token => arg1 is CancellationToken t1 ? t1 : arg2 is CancellationToken t2 ? t2 : default;

    public int Count => 2;

    public object? Get(int index) => index switch { 0 => arg1, 1 => arg2, _ => throw new ArgumentOutOfRangeException(nameof(index)) };

    public void Write(ref MessagePackWriter writer, PayloadOptions options)
    {
        PayloadSerializer.Write(ref writer, arg1, options, "argument 1");
        PayloadSerializer.Write(ref writer, arg2, options, "argument 2");
    }
}

internal readonly struct Arguments<T1, T2, T3>(T1 arg1, T2 arg2, T3 arg3) : IArgumentWriter
{
    public CancellationToken Token => arg1 is CancellationToken t1 ? t1 : arg2 is CancellationToken t2 ? t2 : arg3 is CancellationToken t3 ? t3 : default;

    public int Count => 3;

    public object? Get(int index) => index switch { 0 => arg1, 1 => arg2, 2 => arg3, _ => throw new ArgumentOutOfRangeException(nameof(index)) };

    public void Write(ref MessagePackWriter writer, PayloadOptions options)
    {
        PayloadSerializer.Write(ref writer, arg1, options, "argument 1");
        PayloadSerializer.Write(ref writer, arg2, options, "argument 2");
        PayloadSerializer.Write(ref writer, arg3, options, "argument 3");
    }
}

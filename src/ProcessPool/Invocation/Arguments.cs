using MessagePack;
using ProcessPool.Serialization;

namespace ProcessPool.Invocation;

/// <summary>Writes one call's arguments; generic structs so that Submit boxes nothing.</summary>
internal interface IArgumentWriter
{
    void Write(ref MessagePackWriter writer);
}

internal readonly struct NoArguments : IArgumentWriter
{
    public void Write(ref MessagePackWriter writer)
    {
    }
}

internal readonly struct Arguments<T1>(T1 arg1) : IArgumentWriter
{
    public void Write(ref MessagePackWriter writer) => PayloadSerializer.Write(ref writer, arg1, "argument 1");
}

internal readonly struct Arguments<T1, T2>(T1 arg1, T2 arg2) : IArgumentWriter
{
    public void Write(ref MessagePackWriter writer)
    {
        PayloadSerializer.Write(ref writer, arg1, "argument 1");
        PayloadSerializer.Write(ref writer, arg2, "argument 2");
    }
}

internal readonly struct Arguments<T1, T2, T3>(T1 arg1, T2 arg2, T3 arg3) : IArgumentWriter
{
    public void Write(ref MessagePackWriter writer)
    {
        PayloadSerializer.Write(ref writer, arg1, "argument 1");
        PayloadSerializer.Write(ref writer, arg2, "argument 2");
        PayloadSerializer.Write(ref writer, arg3, "argument 3");
    }
}

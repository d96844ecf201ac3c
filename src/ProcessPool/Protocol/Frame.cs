using System.Buffers;

namespace ProcessPool.Protocol;

/// <summary>One received message: its type and its body in a pooled buffer, returned on <see cref="Dispose"/>.</summary>
internal readonly struct Frame : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    public Frame(MessageType type, byte[] buffer, int length)
    {
        Type = type;
        _buffer = buffer;
        _length = length;
    }

    public MessageType Type { get; }

    public ReadOnlyMemory<byte> Body => _buffer.AsMemory(0, _length);

    public void Dispose()
    {
        if (_buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }
}

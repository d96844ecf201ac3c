using System.Buffers;
using System.Buffers.Binary;

namespace ProcessPool.Protocol;

/// <summary>
/// A growable buffer that collects whole frames (<c>[int32 length][type][body]</c>) so that many
/// small messages leave in one write. Not thread-safe: each writer owns one.
/// </summary>
internal sealed class FrameBuffer : IBufferWriter<byte>
{
    public const int HeaderLength = 5;
    private const int RetainedCapacity = 1 << 20;
    private byte[] _array = new byte[4096];
    private int _count;

    public int Length => _count;

    /// <summary>How many frames were begun since the last <see cref="Clear"/>.</summary>
    public int FrameCount { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _count);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _count);

    /// <summary>Starts a frame; returns its start for <see cref="EndFrame"/>.</summary>
    public int BeginFrame(MessageType type)
    {
        int start = _count;
        FrameCount++;
        EnsureCapacity(HeaderLength);
        _array[start + 4] = (byte)type;
        _count += HeaderLength;
        return start;
    }

    /// <summary>Writes the frame's length prefix once its body is complete.</summary>
    public void EndFrame(int start)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_array.AsSpan(start), _count - start - 4);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_array.AsSpan(_count));
        _count += bytes.Length;
    }

    /// <summary>Forgets what was written; a buffer grown for a huge frame is let go.</summary>
    public void Clear()
    {
        _count = 0;
        FrameCount = 0;
        if (_array.Length > RetainedCapacity)
        {
            _array = new byte[4096];
        }
    }

    public void Advance(int count) => _count += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _array.AsMemory(_count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _array.AsSpan(_count);
    }

    private void EnsureCapacity(int extra)
    {
        if (_array.Length - _count >= extra)
        {
            return;
        }

        long wanted = Math.Max((long)_count + extra, (long)_array.Length * 2);
        Array.Resize(ref _array, (int)Math.Min(wanted, Array.MaxLength));
    }
}

using System.Buffers;
using System.Buffers.Binary;

namespace ProcessPool.Protocol;

/// <summary>
/// Reads length-prefixed frames from a stream, synchronously, on the one thread that owns it.
/// A clean end of stream at a frame boundary means "closed"; an end of stream inside a frame,
/// a length out of range or an unknown type is a <see cref="ProtocolException"/>.
/// </summary>
internal sealed class FrameReader
{
    /// <summary>The largest frame accepted unless told otherwise: 1 GiB.</summary>
    public const int DefaultMaxFrameLength = 1 << 30;

    private const int GrowthStep = 1 << 20;

    private readonly Stream _stream;
    private readonly int _maxFrameLength;
    private readonly byte[] _header = new byte[FrameBuffer.HeaderLength];

    public FrameReader(Stream stream, int maxFrameLength = DefaultMaxFrameLength)
    {
        _stream = stream;
        _maxFrameLength = maxFrameLength;
    }

    /// <summary>Reads the next frame; <see langword="false"/> when the stream ended cleanly.</summary>
    public bool TryRead(out Frame frame)
    {
        frame = default;
        int got = _stream.ReadAtLeast(_header, _header.Length, throwOnEndOfStream: false);
        if (got == 0)
        {
            return false;
        }

        if (got < _header.Length)
        {
            throw new ProtocolException($"The stream ended inside a frame header ({got} of {_header.Length} bytes).");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        if (length < 1 || length > _maxFrameLength)
        {
            throw new ProtocolException($"Frame length {length} is outside the allowed range 1..{_maxFrameLength}.");
        }

        var type = (MessageType)_header[4];
        if (!Enum.IsDefined(type))
        {
            throw new ProtocolException($"Unknown message type {(byte)type}.");
        }

        int bodyLength = length - 1;

        // The buffer grows with the data that really arrives, so a lying length prefix cannot make
        // this process allocate a gigabyte up front.
        byte[] body = bodyLength == 0 ? [] : ArrayPool<byte>.Shared.Rent(Math.Min(bodyLength, GrowthStep));
        try
        {
            int filled = 0;
            while (filled < bodyLength)
            {
                if (filled == body.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(bodyLength, (long)body.Length * 2));
                    body.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(body);
                    body = larger;
                }

                int wanted = Math.Min(bodyLength, body.Length) - filled;
                int read = _stream.ReadAtLeast(body.AsSpan(filled, wanted), wanted, throwOnEndOfStream: false);
                filled += read;
                if (read < wanted)
                {
                    throw new ProtocolException($"The stream ended inside a {type} frame ({filled} of {bodyLength} bytes).");
                }
            }
        }
        catch
        {
            if (body.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(body);
            }

            throw;
        }

        frame = new Frame(type, body, bodyLength);
        return true;
    }
}

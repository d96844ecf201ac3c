using System.Buffers;
using System.Buffers.Binary;

namespace ProcessPool.Protocol;

/// <summary>
/// Reads length-prefixed frames from a stream, synchronously, on the one thread that owns it.
/// A clean end of stream at a frame boundary means "closed"; an end of stream inside a frame,
/// a length out of range or an unknown type is a <see cref="ProtocolException"/>.
/// It reads ahead into its own buffer (unless made with a buffer size of 0), and says whether more
/// data is already buffered, so that a burst of replies can be handled as one batch.
/// </summary>
internal sealed class FrameReader
{
    /// <summary>The largest frame accepted unless told otherwise: 1 GiB.</summary>
    public const int DefaultMaxFrameLength = 1 << 30;

    private const int GrowthStep = 1 << 20;

    private readonly Stream _stream;
    private readonly int _maxFrameLength;
    private readonly byte[] _header = new byte[FrameBuffer.HeaderLength];
    private readonly byte[] _readAhead;
    private int _readAheadStart;
    private int _readAheadEnd;

    public FrameReader(Stream stream, int maxFrameLength = DefaultMaxFrameLength, int bufferSize = 1 << 16)
    {
        _stream = stream;
        _maxFrameLength = maxFrameLength;
        _readAhead = new byte[bufferSize];
    }

    /// <summary>Whether bytes of a next frame have already arrived.</summary>
    public bool HasBufferedData => _readAheadEnd > _readAheadStart;

    /// <summary>Whether a whole next frame has already arrived: reading it will not block.</summary>
    public bool HasBufferedFrame
    {
        get
        {
            int buffered = _readAheadEnd - _readAheadStart;
            return buffered >= FrameBuffer.HeaderLength
                && (long)BinaryPrimitives.ReadInt32LittleEndian(_readAhead.AsSpan(_readAheadStart)) + 4 <= buffered;
        }
    }

    /// <summary>Reads the next frame; <see langword="false"/> when the stream ended cleanly.</summary>
    public bool TryRead(out Frame frame)
    {
        frame = default;
        int got = ReadFully(_header);
        if (got == 0)
        {
            return false;
        }

        if (got < _header.Length)
        {
            throw new ProtocolException($"The stream ended inside a frame header ({got} of {_header.Length} bytes).") { CutShort = true };
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
                int read = ReadFully(body.AsSpan(filled, wanted));
                filled += read;
                if (read < wanted)
                {
                    throw new ProtocolException($"The stream ended inside a {type} frame ({filled} of {bodyLength} bytes).") { CutShort = true };
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

    /// <summary>Fills <paramref name="destination"/>; fewer bytes only at the end of the stream.</summary>
    private int ReadFully(Span<byte> destination)
    {
        int filled = 0;
        while (filled < destination.Length)
        {
            int read = ReadSome(destination[filled..]);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private int ReadSome(Span<byte> destination)
    {
        if (!HasBufferedData)
        {
            if (destination.Length >= _readAhead.Length)
            {
                return _stream.Read(destination); // large reads bypass the buffer
            }

            _readAheadStart = 0;
            _readAheadEnd = _stream.Read(_readAhead);
            if (_readAheadEnd == 0)
            {
                return 0;
            }
        }

        int count = Math.Min(destination.Length, _readAheadEnd - _readAheadStart);
        _readAhead.AsSpan(_readAheadStart, count).CopyTo(destination);
        _readAheadStart += count;
        return count;
    }
}

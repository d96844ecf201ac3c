using System.Runtime.ExceptionServices;

namespace ProcessPool.Protocol;

/// <summary>
/// The parent's reader of one worker's messages, in the order the worker made them: frames from its
/// <see cref="ReplyRing"/>, and from the socket the frames an <see cref="MessageType.OnSocket"/> marker
/// in the ring stands for (messages too large for the ring). With the ring empty it tells the worker it
/// is asleep and blocks on the socket until a <see cref="MessageType.Wake"/> doorbell; at the end of the
/// stream, or when reading the socket fails (a worker that died with unread input resets it), it reads
/// what is left in the ring first, and only then reports the end or the error, so a worker's death loses
/// none of its replies. A
/// worker without a ring (none was made, or it could not map it) writes everything to the socket.
/// Used by one thread at a time; it owns the ring and unmaps it on <see cref="Dispose"/>.
/// </summary>
internal sealed class ReplyReader : IDisposable
{
    private readonly FrameReader _socket;
    private readonly ReplyRing? _ring;
    private readonly FrameReader? _ringFrames;
    private int _onSocket; // frames the ring's markers announced that are still to be read from the socket
    private bool _socketEnded;
    private ExceptionDispatchInfo? _socketError; // why the socket ended, reported once the ring is empty

    public ReplyReader(FrameReader socket, ReplyRing? ring)
    {
        _socket = socket;
        _ring = ring;
        _ringFrames = ring is null ? null : new FrameReader(new RingStream(ring));
    }

    /// <summary>
    /// Whether the worker has already sent a next message, so a burst of replies can be handled as one
    /// batch. Reading it does not wait for the worker, except for a message too large for the ring: the
    /// ring's marker for it counts, and reading then waits for the rest of its write on the socket.
    /// </summary>
    public bool HasBufferedFrame =>
        _onSocket > 0 || _ringFrames is null ? _socket.HasBufferedFrame : _ringFrames.HasBufferedFrame || _ring!.HasData;

    /// <summary>Reads the next message; false when the worker's channel ended and nothing is left of it.</summary>
    public bool TryRead(out Frame frame)
    {
        while (true)
        {
            if (_onSocket > 0)
            {
                if (_socketEnded || !TryReadSocket(out frame))
                {
                    throw new ProtocolException("The stream ended before a message the reply ring announced.", _socketError?.SourceException) { CutShort = true };
                }

                _onSocket--;
                return true;
            }

            if (_ringFrames is { } frames && (frames.HasBufferedData || _ring!.HasData))
            {
                if (!TryReadRing(frames, out frame))
                {
                    throw new ProtocolException("The reply ring ended inside a frame.");
                }

                if (frame.Type != MessageType.OnSocket)
                {
                    return true;
                }

                using (frame)
                {
                    _onSocket = OnSocketMessage.Read(frame.Body).FrameCount;
                }

                continue;
            }

            if (_socketEnded)
            {
                _socketError?.Throw(); // the ring is empty: now the socket's failure is news
                frame = default;
                return false; // and the ring is empty
            }

            if (_ring is not null && !_ring.TrySleep())
            {
                continue; // data came in while falling asleep
            }

            bool got;
            try
            {
                got = _socket.TryRead(out frame);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                _socketError = ExceptionDispatchInfo.Capture(e); // ECONNRESET: the worker died with input unread
                frame = default;
                got = false;
            }

            if (!got)
            {
                _socketEnded = true; // the worker is gone: what it appended before it died is still to be read
                continue;
            }

            if (frame.Type == MessageType.Wake)
            {
                frame.Dispose();
                continue;
            }

            return true; // a worker that writes only to the socket (it has no ring)
        }
    }

    public void Dispose() => _ring?.Dispose();

    /// <summary>
    /// The ring's next frame. Appends are whole, so a ring never ends inside a frame: a frame cut short
    /// there is a lying length, a malformed message rather than a worker that died mid-write.
    /// </summary>
    private static bool TryReadRing(FrameReader frames, out Frame frame)
    {
        try
        {
            return frames.TryRead(out frame);
        }
        catch (ProtocolException e) when (e.CutShort)
        {
            throw new ProtocolException($"A frame in the reply ring is malformed: {e.Message}", e);
        }
    }

    /// <summary>The next frame on the socket other than a doorbell (one rung for an append the reader has already seen).</summary>
    private bool TryReadSocket(out Frame frame)
    {
        while (_socket.TryRead(out frame))
        {
            if (frame.Type != MessageType.Wake)
            {
                return true;
            }

            frame.Dispose();
        }

        return false;
    }

    /// <summary>The ring's appended bytes as a stream that never blocks (0 bytes: none appended yet).</summary>
    private sealed class RingStream(ReplyRing ring) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer) => ring.Read(buffer);

        public override int Read(byte[] buffer, int offset, int count) => ring.Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

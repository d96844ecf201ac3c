namespace ProcessPool.Protocol;

/// <summary>
/// The worker's writer of its messages to the parent (see <see cref="ReplyReader"/>): appended to its
/// <see cref="ReplyRing"/>, so that a finished reply is safe from the worker's death without a system
/// call, and a doorbell on the socket only when the parent's reader said it was asleep. A batch too
/// large for the ring goes on the socket, with a marker in the ring that keeps its place in the order.
/// Without a ring, everything goes on the socket. Callers serialize their writes.
/// <paramref name="readerGone"/> tells a write waiting for room in a full ring that the parent is gone
/// (see <see cref="ReplyRing.Append"/>): the write then fails as on a broken socket.
/// </summary>
internal sealed class ReplyWriter(Stream socket, ReplyRing? ring, Func<bool>? readerGone = null)
{
    private readonly FrameBuffer _marker = new();

    /// <summary>Writes the whole frames in <paramref name="frames"/>; on return the parent can read them even if this process dies.</summary>
    public void Write(FrameBuffer frames)
    {
        if (ring is null)
        {
            socket.Write(frames.WrittenSpan);
            return;
        }

        if (frames.Length <= ring.MaxAppend)
        {
            Append(frames.WrittenSpan);
            return;
        }

        _marker.Clear();
        for (int left = frames.FrameCount; left > 0; left -= OnSocketMessage.MaxFrameCount)
        {
            new OnSocketMessage(Math.Min(left, OnSocketMessage.MaxFrameCount)).Write(_marker); // the reader refuses larger counts
        }

        Append(_marker.WrittenSpan);
        socket.Write(frames.WrittenSpan);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (ring!.Append(bytes, readerGone))
        {
            socket.Write(WakeMessage.Frame);
        }
    }
}

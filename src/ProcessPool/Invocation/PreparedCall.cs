namespace ProcessPool.Invocation;

/// <summary>A function with its target and arguments already serialized, ready to send.</summary>
internal sealed record PreparedCall(FunctionDescriptor Function, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The shared memory the payload refers to (large arrays, lent buffers); given back when the call ends.</summary>
    public IReadOnlyList<Serialization.SegmentUse> Segments { get; init; } = [];

    /// <summary>Gives the call's shared memory back once it has ended (see <see cref="Serialization.SegmentUse.EndCall"/>).</summary>
    public void ReleaseSegments(bool readByWorker)
    {
        foreach (var use in Segments)
        {
            use.EndCall(readByWorker);
        }
    }

    /// <summary>The most payload bytes one message carries: the frame limit, less room for the header fields.</summary>
    public const int MaxPayloadLength = Protocol.FrameReader.DefaultMaxFrameLength - (1 << 16);

    /// <summary>Refuses, before anything is queued, a payload no worker would accept.</summary>
    public static byte[] Check(ReadOnlySpan<byte> payload, string what)
    {
        if (payload.Length > MaxPayloadLength)
        {
            throw new PayloadSerializationException(what, typeof(byte[]),
                $"The {what} serialize to {payload.Length:N0} bytes, more than the {MaxPayloadLength:N0} one message to a worker may carry. Split the work into smaller calls.");
        }

        return payload.ToArray();
    }
}

namespace ProcessPool.Invocation;

/// <summary>A function with its target and arguments already serialized, ready to send.</summary>
internal sealed record PreparedCall(FunctionDescriptor Function, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The shared-memory files the payload refers to; deleted when the call ends.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    public void DeleteSegments()
    {
        foreach (string path in Segments)
        {
            Serialization.SharedMemory.Delete(path);
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

namespace ProcessPool.Invocation;

/// <summary>A function with its target and arguments already serialized, ready to send.</summary>
internal sealed record PreparedCall(FunctionDescriptor Function, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The shared-memory files the payload refers to; deleted when the call ends.</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];

    /// <summary>
    /// Disposes of the call's shared-memory files once it has ended: recycled when the worker surely
    /// read them (<paramref name="readByWorker"/>: it answered), else deleted (a worker still reading a
    /// file keeps its data after a delete, not after a rewrite).
    /// </summary>
    public void ReleaseSegments(bool readByWorker)
    {
        foreach (string path in Segments)
        {
            if (readByWorker)
            {
                Serialization.SharedMemory.Recycle(path);
            }
            else
            {
                Serialization.SharedMemory.Delete(path);
            }
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

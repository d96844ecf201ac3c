namespace ProcessPool.Invocation;

/// <summary>A function with its target and arguments already serialized, ready to send.</summary>
internal sealed record PreparedCall(FunctionDescriptor Function, ReadOnlyMemory<byte> Payload);

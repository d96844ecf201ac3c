using MessagePack;

namespace ProcessPool.Protocol;

// The wire messages. Each frame body is a few MessagePack fields, then (for some) a raw payload
// that runs to the end of the frame. docs/protocol.md describes the exchange. The bodies come from
// another process: every Read fails only with ProtocolException (see Malformed), which ends the channel.

/// <summary>Worker → parent, first message: proves the worker holds the pool's token.</summary>
internal readonly record struct HelloMessage(int ProtocolVersion, string Token, int ProcessId)
{
    public const int CurrentProtocolVersion = 4;

    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.Hello);
        var writer = new MessagePackWriter(buffer);
        writer.Write(ProtocolVersion);
        writer.Write(Token);
        writer.Write(ProcessId);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static HelloMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            return new HelloMessage(reader.ReadInt32(), reader.ReadString() ?? "", reader.ReadInt32());
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("A Hello message", e);
        }
    }
}

/// <summary>Parent → worker: define function <see cref="FunctionId"/> for later Invoke messages.</summary>
internal readonly record struct DefineMessage(int FunctionId, FunctionDefinition Definition)
{
    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.Define);
        var writer = new MessagePackWriter(buffer);
        writer.Write(FunctionId);
        Definition.Write(ref writer);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static DefineMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            int id = reader.ReadInt32();
            return new DefineMessage(id, FunctionDefinition.Read(ref reader));
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("A Define message", e);
        }
    }
}

/// <summary>
/// Parent → worker: run a defined function over <see cref="ItemCount"/> items (1 for Submit, more for a
/// Map chunk). Payload: the serialized target, then each item's arguments.
/// Also used, with <see cref="MessageType.Initialize"/>, to run the pool's initializer.
/// </summary>
internal readonly record struct InvokeMessage(long CallId, int FunctionId, int ItemCount, ReadOnlyMemory<byte> Payload)
{
    public void Write(FrameBuffer buffer, MessageType type = MessageType.Invoke)
    {
        int frame = buffer.BeginFrame(type);
        var writer = new MessagePackWriter(buffer);
        writer.Write(CallId);
        writer.Write(FunctionId);
        writer.Write(ItemCount);
        writer.Flush();
        buffer.Write(Payload.Span);
        buffer.EndFrame(frame);
    }

    public static InvokeMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            long callId = reader.ReadInt64();
            int functionId = reader.ReadInt32();
            int itemCount = reader.ReadInt32();
            if (itemCount < 0)
            {
                throw new ProtocolException($"An Invoke message announces {itemCount} items.");
            }

            return new InvokeMessage(callId, functionId, itemCount, body[(int)reader.Consumed..]);
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An Invoke or Initialize message", e);
        }
    }
}

/// <summary>
/// Messages that carry only a call id. Parent → worker: <see cref="MessageType.Cancel"/> (withdraw the call
/// if it has not started, else signal its token), <see cref="MessageType.Withdraw"/> (withdraw it only if it
/// has not started) and <see cref="MessageType.Shutdown"/> (id 0). Worker → parent: <see cref="MessageType.Canceled"/>.
/// </summary>
internal readonly record struct CallIdMessage(long CallId)
{
    public void Write(FrameBuffer buffer, MessageType type)
    {
        int frame = buffer.BeginFrame(type);
        var writer = new MessagePackWriter(buffer);
        writer.Write(CallId);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static CallIdMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            return new CallIdMessage(reader.ReadInt64());
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("A Cancel, Withdraw, Shutdown or Canceled message", e);
        }
    }
}

/// <summary>
/// Worker → parent: a call finished. <see cref="Error"/> is null on success; otherwise the first
/// <see cref="CompletedCount"/> items succeeded and item <see cref="CompletedCount"/> threw.
/// Payload: the serialized results of the completed items. Also the body of InitializeResult.
/// </summary>
internal readonly record struct ResultMessage(long CallId, long ElapsedTicks, int CompletedCount, ExceptionInfo? Error, ReadOnlyMemory<byte> Payload)
{
    public void Write(FrameBuffer buffer, MessageType type = MessageType.Result)
    {
        int frame = buffer.BeginFrame(type);
        var writer = new MessagePackWriter(buffer);
        writer.Write(CallId);
        writer.Write(ElapsedTicks);
        writer.Write(CompletedCount);
        if (Error is null)
        {
            writer.WriteNil();
        }
        else
        {
            Error.Write(ref writer);
        }

        writer.Flush();
        buffer.Write(Payload.Span);
        buffer.EndFrame(frame);
    }

    public static ResultMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            long callId = reader.ReadInt64();
            long elapsed = reader.ReadInt64();
            int completed = reader.ReadInt32();
            if (completed < 0)
            {
                throw new ProtocolException($"A Result message announces {completed} completed items.");
            }

            var error = reader.TryReadNil() ? null : ExceptionInfo.Read(ref reader);
            return new ResultMessage(callId, elapsed, completed, error, body[(int)reader.Consumed..]);
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("A Result message", e);
        }
    }
}

/// <summary>
/// Worker → parent: text user code wrote to <see cref="Console.Out"/> (<see cref="IsError"/> false) or
/// <see cref="Console.Error"/>. It travels on the channel, so it is forwarded before the result of the
/// call that wrote it. Output written below .NET's Console (native code, the runtime's own crash report)
/// still arrives through the process's stdout and stderr pipes.
/// </summary>
internal readonly record struct OutputMessage(bool IsError, string Text)
{
    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.Output);
        var writer = new MessagePackWriter(buffer);
        writer.Write(IsError);
        writer.Write(Text);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static OutputMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            return new OutputMessage(reader.ReadBoolean(), reader.ReadString() ?? "");
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An Output message", e);
        }
    }
}

/// <summary>
/// Worker → parent, just before the runtime ends the worker: an exception no code caught, thrown on
/// <see cref="Thread"/> (described for people: the finalizer thread, a named thread, a thread-pool thread)
/// rather than by the call that is running. The parent does not blame that call for the crash.
/// </summary>
internal readonly record struct UnhandledMessage(string Thread, ExceptionInfo Exception)
{
    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.Unhandled);
        var writer = new MessagePackWriter(buffer);
        writer.Write(Thread);
        Exception.Write(ref writer);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static UnhandledMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            return new UnhandledMessage(reader.ReadString() ?? "", ExceptionInfo.Read(ref reader));
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An Unhandled message", e);
        }
    }
}

/// <summary>
/// Parent → worker, right after the handshake when the pool has any: the assembly-qualified names of
/// <see cref="ProcessPoolOptions.AllowedTypes"/>, the only types a payload may name.
/// </summary>
internal readonly record struct AllowMessage(string[] TypeNames)
{
    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.Allow);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(TypeNames.Length);
        foreach (string name in TypeNames)
        {
            writer.Write(name);
        }

        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static AllowMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            var names = new string[reader.ReadArrayHeader()];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = reader.ReadString() ?? throw new ProtocolException("An Allow message holds a null type name.");
            }

            return new AllowMessage(names);
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An Allow message", e);
        }
    }
}

/// <summary>
/// Worker → parent, in its <see cref="ReplyRing"/>: the next <see cref="FrameCount"/> messages (too large
/// for the ring) travel on the socket; the parent reads them there before the ring's next message.
/// </summary>
internal readonly record struct OnSocketMessage(int FrameCount)
{
    /// <summary>
    /// The most messages one marker announces (a batch with more has several markers): a count beyond
    /// any real batch is a malformed message, not a wait for messages that will never come.
    /// </summary>
    public const int MaxFrameCount = 1 << 20;

    public void Write(FrameBuffer buffer)
    {
        int frame = buffer.BeginFrame(MessageType.OnSocket);
        var writer = new MessagePackWriter(buffer);
        writer.Write(FrameCount);
        writer.Flush();
        buffer.EndFrame(frame);
    }

    public static OnSocketMessage Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new MessagePackReader(body);
            int count = reader.ReadInt32();
            return count is >= 1 and <= MaxFrameCount ? new OnSocketMessage(count) : throw new ProtocolException($"An OnSocket message announces {count} messages.");
        }
        catch (Exception e) when (e is not ProtocolException)
        {
            throw Malformed.Error("An OnSocket message", e);
        }
    }
}

/// <summary>
/// Worker → parent, after its Hello and before anything else: the worker has warmed up and takes calls.
/// The pool hands it none before, so a first call neither waits on nor competes with the warm-up.
/// </summary>
internal static class ReadyMessage
{
    public static void Write(FrameBuffer buffer) => buffer.EndFrame(buffer.BeginFrame(MessageType.Ready));
}

/// <summary>Worker → parent, on the socket: the doorbell. The worker appended to its ring while the parent's reader said it was asleep.</summary>
internal static class WakeMessage
{
    /// <summary>The whole frame: length 1, type <see cref="MessageType.Wake"/>, no body.</summary>
    public static ReadOnlySpan<byte> Frame => [1, 0, 0, 0, (byte)MessageType.Wake];
}

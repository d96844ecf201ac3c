using MessagePack;
using ProcessPool.Protocol;
using ProcessPool.Serialization;
using ProcessPool.Workers;

namespace ProcessPool.Tests.Scheduling.Fakes;

/// <summary>
/// A worker without a process: it records what the scheduler sends it, and the test plays its part
/// (answers, crashes, leaves). A kill ends it at once, as SIGKILL does; a request to leave ends it on
/// another thread (the scheduler asks under its lock), unless it is told to ignore such requests.
/// </summary>
internal sealed class FakeWorker(int id, IWorkerEvents events) : IWorker
{
    private readonly Lock _gate = new();
    private readonly List<InvokeRequest> _sent = [];
    private readonly List<long> _canceled = [];
    private readonly List<long> _withdrawn = [];
    private WorkerExit? _exit;
    private int _disconnected;

    public int Id => id;

    public int ProcessId => 10_000 + id;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UnixEpoch;

    public string Name => $"fake worker #{id}";

    public UnhandledMessage? Unhandled { get; set; }

    /// <summary>Leave only when killed, like a worker stuck in native code.</summary>
    public bool IgnoresShutdown { get; set; }

    /// <summary>A kill lands only when the test says (<see cref="Die"/>): what happens in the moments between a kill and the exit.</summary>
    public bool DiesWhenTold { get; set; }

    public bool ShutdownRequested { get; private set; }

    public bool Killed { get; private set; }

    public bool Terminated { get; private set; }

    public bool IsGone => Volatile.Read(ref _disconnected) != 0;

    /// <summary>What <see cref="ResidentBytes"/> reports.</summary>
    public long Memory { get; set; }

    public List<string> ErrorLines { get; } = [];

    public IReadOnlyList<InvokeRequest> Sent
    {
        get
        {
            lock (_gate)
            {
                return [.. _sent];
            }
        }
    }

    public IReadOnlyList<long> Canceled
    {
        get
        {
            lock (_gate)
            {
                return [.. _canceled];
            }
        }
    }

    public IReadOnlyList<long> Withdrawn
    {
        get
        {
            lock (_gate)
            {
                return [.. _withdrawn];
            }
        }
    }

    /// <summary>The id of the <paramref name="index"/>th call it was sent.</summary>
    public long CallId(int index) => Sent[index].CallId;

    public void Start()
    {
    }

    public bool Send(in InvokeRequest call)
    {
        lock (_gate)
        {
            if (IsGone)
            {
                return false;
            }

            _sent.Add(call);
            return true;
        }
    }

    public void Flush()
    {
    }

    public void SendCancel(long callId)
    {
        lock (_gate)
        {
            _canceled.Add(callId);
        }
    }

    public void SendWithdraw(long callId)
    {
        lock (_gate)
        {
            _withdrawn.Add(callId);
        }
    }

    public void SendShutdown()
    {
        ShutdownRequested = true;
        if (!IgnoresShutdown)
        {
            _ = Task.Run(() => Disconnect(new WorkerExit(0, null, "")));
        }
    }

    public void Kill()
    {
        Killed = true;
        if (!DiesWhenTold)
        {
            Die();
        }
    }

    /// <summary>The kill lands: the process is gone (SIGKILL).</summary>
    public void Die() => Disconnect(new WorkerExit(null, 9, ""));

    public void Terminate()
    {
        Terminated = true;
        if (!IgnoresShutdown)
        {
            Disconnect(new WorkerExit(null, 15, ""));
        }
    }

    public long ResidentBytes() => Memory;

    public WorkerExit Reap(bool killFirst) => _exit ?? new WorkerExit(null, 9, "");

    public void WriteError(string line) => ErrorLines.Add(line);

    public void Dispose()
    {
    }

    /// <summary>Answers a call with <paramref name="value"/>, as a worker that ran it would.</summary>
    public void Answer<T>(long callId, T value, bool dispatch = true)
    {
        var payload = new FrameBuffer();
        var writer = new MessagePackWriter(payload);
        PayloadSerializer.Write(ref writer, value, PayloadContext.ProcessWide.BeginWrite(sharedMemory: false), "a fake result");
        writer.Flush();
        Reply(new ResultMessage(callId, ElapsedTicks: 10, CompletedCount: 1, Error: null, payload.WrittenMemory), MessageType.Result, dispatch);
    }

    /// <summary>Answers a call with the exception its code threw.</summary>
    public void AnswerFailure(long callId, Exception error) =>
        Reply(new ResultMessage(callId, ElapsedTicks: 10, CompletedCount: 0, ExceptionInfo.From(error), default), MessageType.Result, dispatch: true);

    /// <summary>Answers Canceled: the call was withdrawn before it started, or stopped when its token fired.</summary>
    public void AnswerCanceled(long callId)
    {
        var buffer = new FrameBuffer();
        new CallIdMessage(callId).Write(buffer, MessageType.Canceled);
        events.OnReply(this, ReadFrame(buffer), dispatch: true);
    }

    /// <summary>The process ends on its own (a crash): <paramref name="exitCode"/> or <paramref name="signal"/>.</summary>
    public void Crash(int? exitCode = 1, int? signal = null) => Disconnect(new WorkerExit(exitCode, signal, "fake stderr"));

    private void Reply(ResultMessage message, MessageType type, bool dispatch)
    {
        var buffer = new FrameBuffer();
        message.Write(buffer, type);
        events.OnReply(this, ReadFrame(buffer), dispatch);
    }

    private static Frame ReadFrame(FrameBuffer buffer)
    {
        var reader = new FrameReader(new MemoryStream(buffer.WrittenMemory.ToArray()));
        Assert.True(reader.TryRead(out var frame));
        return frame;
    }

    private void Disconnect(WorkerExit exit)
    {
        lock (_gate)
        {
            if (Interlocked.Exchange(ref _disconnected, 1) != 0)
            {
                return;
            }

            _exit = exit;
        }

        events.OnDisconnected(this, null);
    }
}

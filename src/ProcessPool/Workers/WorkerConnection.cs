using System.Diagnostics;
using System.Net.Sockets;
using ProcessPool.Protocol;

namespace ProcessPool.Workers;

/// <summary>
/// The parent's side of one worker process: its channel, a reader thread that hands replies to the
/// scheduler (a burst of replies as one batch; they come from the worker's reply ring, see <see cref="ReplyReader"/>), and the writing of queued messages. Calls are written
/// by the thread that queued them, right after it leaves the scheduler's lock (<see cref="Flush"/>), so
/// a Submit reaches the worker without waking another thread; control messages, large batches and
/// whatever arrives while a write is in progress go to a writer thread. Whoever writes drains the
/// whole queue into one write, so a burst of tiny calls costs one syscall.
/// It knows nothing of scheduling: what a call is for, and what becomes of it, is the scheduler's.
/// </summary>
internal sealed class WorkerConnection : IWorker
{
    // A worker that does not exit this long after its channel closed is killed.
    private static readonly TimeSpan ExitGracePeriod = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ReplyReader _replies; // used by the reader thread only, which disposes it
    private readonly IWorkerEvents _events;
    private readonly TimeProvider _time;
    private readonly bool _killGroup;
    private readonly Queue<Outgoing> _outgoing = new();
    private readonly HashSet<int> _definedFunctions = []; // used by the writing thread only
    private readonly FrameBuffer _frames = new(); // used by the writing thread only
    private readonly List<Outgoing> _batch = []; // used by the writing thread only

    // An unhandled exception ends the process within moments; a report older than this did not end it.
    private static readonly TimeSpan FatalReportWindow = TimeSpan.FromSeconds(5);
    private UnhandledMessage? _unhandled; // written by the reader thread, read after it reports the disconnection
    private long _unhandledAt;
    private bool _writerStopped;
    private bool _writing; // a thread owns the channel's write side (and the three fields above)
    private long _queuedBytes;

    /// <summary>The most queued bytes the queuing thread writes itself; more go to the writer thread.</summary>
    private const int InlineWriteLimit = 16 * 1024;

    // Reader threads never write: a reader blocked on a full socket would stop reading replies, and a
    // worker blocked writing its replies to it would stop reading calls.
    [ThreadStatic]
    private static bool t_isReaderThread;

    // killGroup: whether the worker's process group goes with it (ProcessPoolOptions.KillWorkerDescendants).
    public WorkerConnection(int id, Process process, WorkerOutput output, Socket socket, NetworkStream stream, ReplyReader replies, IWorkerEvents events, TimeProvider time, bool killGroup)
    {
        Id = id;
        Process = process;
        ProcessId = process.Id;
        Output = output;
        _socket = socket;
        _stream = stream;
        _replies = replies;
        _events = events;
        _time = time;
        _killGroup = killGroup;
        StartedAt = time.GetUtcNow();
    }

    public int Id { get; }

    public Process Process { get; }

    public int ProcessId { get; }

    public WorkerOutput Output { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>
    /// The worker's report of an exception no code caught outside its calls (see
    /// <see cref="UnhandledMessage"/>), if it came just before the worker's end: the runtime ends a process
    /// at once after such an exception, so a report followed by more life (a reply, or seconds passing:
    /// code that raised the event itself and went on) did not end it. Read when the disconnection is reported.
    /// </summary>
    public UnhandledMessage? Unhandled =>
        _unhandled is { } report && _time.GetElapsedTime(_unhandledAt) < FatalReportWindow ? report : null;

    public string Name => $"worker #{Id} (pid {ProcessId})";

    public void Start()
    {
        new Thread(ReadLoop) { IsBackground = true, Name = $"ProcessPool {Name} reader" }.Start();
        new Thread(WriteLoop) { IsBackground = true, Name = $"ProcessPool {Name} writer" }.Start();
    }

    /// <summary>
    /// Queues a call for the worker; false if the channel is already down. The caller must
    /// <see cref="Flush"/> once it has left the scheduler's lock.
    /// </summary>
    public bool Send(in InvokeRequest call) => Enqueue(new Outgoing(MessageType.Invoke, call), wakeWriter: false);

    /// <summary>
    /// Writes queued calls on this thread, unless another thread is writing (it takes them too), the
    /// batch is large (a caller should not block on a big write) or this is a reader thread; in those
    /// cases the writer thread takes them.
    /// </summary>
    public void Flush()
    {
        lock (_outgoing)
        {
            if (_writing || _writerStopped || _outgoing.Count == 0)
            {
                return;
            }

            if (_queuedBytes > InlineWriteLimit || t_isReaderThread)
            {
                Monitor.Pulse(_outgoing);
                return;
            }

            _writing = true;
        }

        try
        {
            Drain(inline: true);
        }
        catch (Exception)
        {
            StopWriting(); // whatever failed, the channel can no longer be trusted; the reader reports the loss
        }
    }

    public void SendCancel(long callId) => Enqueue(Outgoing.Control(MessageType.Cancel, callId), wakeWriter: true);

    public void SendWithdraw(long callId) => Enqueue(Outgoing.Control(MessageType.Withdraw, callId), wakeWriter: true);

    public void SendShutdown() => Enqueue(Outgoing.Control(MessageType.Shutdown, 0), wakeWriter: true);

    /// <summary>Releases the channel and the process handle once the worker is gone.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        Process.Dispose();
    }

    public void Kill() => Process.KillTree();

    public void Terminate() => Process.Terminate();

    public long ResidentBytes() => Process.ResidentBytes();

    public WorkerExit Reap(bool killFirst)
    {
        if (killFirst || !Process.WaitForExitAndOutput(ExitGracePeriod, _killGroup))
        {
            Kill();
            Process.WaitForExitAndOutput(ExitGracePeriod, _killGroup);
        }

        var (exitCode, signal) = Process.ExitStatus();
        return new WorkerExit(exitCode, signal, Output.StandardErrorTail());
    }

    public void WriteError(string line) => Output.Forward(isError: true, line);

    private bool Enqueue(Outgoing message, bool wakeWriter)
    {
        lock (_outgoing)
        {
            if (_writerStopped)
            {
                return false; // the channel is down; the reader reports it and the scheduler re-routes the calls
            }

            _outgoing.Enqueue(message);
            _queuedBytes += message.Call.Payload.Length;
            if (wakeWriter && !_writing)
            {
                Monitor.Pulse(_outgoing);
            }

            return true;
        }
    }

    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                lock (_outgoing)
                {
                    while (_outgoing.Count == 0 || _writing)
                    {
                        if (_writerStopped)
                        {
                            return;
                        }

                        Monitor.Wait(_outgoing);
                    }

                    _writing = true;
                }

                Drain(inline: false);
            }
        }
        catch (Exception)
        {
            StopWriting(); // whatever failed, the channel can no longer be trusted; the reader reports the loss
        }
    }

    /// <summary>
    /// The owner of the write side writes until the queue is empty, then gives the write side up. An
    /// inline writer hands a large backlog to the writer thread instead of blocking its caller on it.
    /// </summary>
    private void Drain(bool inline)
    {
        while (true)
        {
            lock (_outgoing)
            {
                if (_outgoing.Count == 0 || _writerStopped || (inline && _queuedBytes > InlineWriteLimit))
                {
                    _writing = false;
                    if (_outgoing.Count > 0)
                    {
                        Monitor.Pulse(_outgoing);
                    }

                    return;
                }

                _batch.AddRange(_outgoing);
                _outgoing.Clear();
                _queuedBytes = 0;
            }

            foreach (var message in _batch)
            {
                Encode(_frames, message);
                if (_frames.Length >= 1 << 16)
                {
                    _stream.Write(_frames.WrittenSpan);
                    _frames.Clear();
                }
            }

            _batch.Clear();
            _stream.Write(_frames.WrittenSpan);
            _frames.Clear();
        }
    }

    private void StopWriting()
    {
        lock (_outgoing)
        {
            _writerStopped = true;
            _outgoing.Clear();
            Monitor.Pulse(_outgoing);
        }

        // Wake the reader if the socket is half-open, so the loss is reported once, by it.
        _socket.Dispose();
    }

    private void Encode(FrameBuffer buffer, Outgoing message)
    {
        switch (message.Type)
        {
            case MessageType.Invoke:
                var call = message.Call;
                if (_definedFunctions.Add(call.FunctionId))
                {
                    new DefineMessage(call.FunctionId, call.Definition).Write(buffer);
                }

                new InvokeMessage(call.CallId, call.FunctionId, call.ItemCount, call.Payload).Write(buffer);
                break;
            case MessageType.Cancel or MessageType.Withdraw:
                new CallIdMessage(message.Call.CallId).Write(buffer, message.Type);
                break;
            case MessageType.Shutdown:
                new CallIdMessage(0).Write(buffer, MessageType.Shutdown);
                break;
        }
    }

    private void ReadLoop()
    {
        Exception? error = null;
        t_isReaderThread = true;
        try
        {
            var reader = _replies;
            bool dispatchDeferred = false;
            while (reader.TryRead(out var frame))
            {
                if (frame.Type == MessageType.Output)
                {
                    using (frame)
                    {
                        var output = OutputMessage.Read(frame.Body);
                        Output.Forward(output.IsError, output.Text);
                    }
                }
                else if (frame.Type == MessageType.Unhandled)
                {
                    using (frame)
                    {
                        // The first of a burst is what brings the process down; an old one did not.
                        if (Unhandled is null)
                        {
                            _unhandled = UnhandledMessage.Read(frame.Body);
                            _unhandledAt = _time.GetTimestamp();
                        }
                    }
                }
                else if (frame.Type is MessageType.Result or MessageType.Canceled)
                {
                    _unhandled = null; // the worker went on after it: that report did not bring it down

                    // While more replies are already here, new calls wait for the last of them: one dispatch, one write.
                    dispatchDeferred = reader.HasBufferedFrame;
                    _events.OnReply(this, frame, dispatch: !dispatchDeferred);
                    continue;
                }
                else
                {
                    frame.Dispose();
                    throw new ProtocolException($"{Name} sent an unexpected {frame.Type} message.");
                }

                if (dispatchDeferred && !reader.HasBufferedFrame)
                {
                    dispatchDeferred = false;
                    _events.OnRepliesHandled(this);
                }
            }
        }
        catch (Exception e)
        {
            // A malformed reply is as fatal to this channel as a broken socket; never to the parent.
            error = e;
        }

        StopWriting();
        try
        {
            _events.OnDisconnected(this, error);
        }
        finally
        {
            _replies.Dispose(); // unmaps the reply ring, which only this thread reads
        }
    }

    /// <summary>A queued message: a call, or a control message that names a call by <see cref="InvokeRequest.CallId"/>.</summary>
    private readonly record struct Outgoing(MessageType Type, InvokeRequest Call)
    {
        public static Outgoing Control(MessageType type, long callId) => new(type, new InvokeRequest(callId, 0, null!, 0, default));
    }
}

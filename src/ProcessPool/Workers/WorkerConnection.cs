using System.Diagnostics;
using System.Net.Sockets;
using ProcessPool.Protocol;
using ProcessPool.Scheduling;

namespace ProcessPool.Workers;

/// <summary>
/// The parent's side of one worker process: its channel, a reader thread that hands replies to the
/// scheduler, and a writer thread that drains queued messages into one write per wake-up (so a burst
/// of tiny calls costs one syscall). The members marked "scheduler" are guarded by the scheduler's lock.
/// </summary>
internal sealed class WorkerConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly IWorkerEvents _events;
    private readonly Queue<Outgoing> _outgoing = new();
    private readonly HashSet<int> _definedFunctions = [];
    private bool _writerStopped;

    public WorkerConnection(int id, Process process, WorkerOutput output, Socket socket, IWorkerEvents events)
    {
        Id = id;
        Process = process;
        ProcessId = process.Id;
        Output = output;
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _events = events;
        StartedAt = DateTimeOffset.UtcNow;
    }

    public int Id { get; }

    public Process Process { get; }

    public int ProcessId { get; }

    public WorkerOutput Output { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Scheduler: calls sent and not yet answered, by call id.</summary>
    public Dictionary<long, Call> InFlight { get; } = [];

    /// <summary>Scheduler: calls ever sent here (for <see cref="ProcessPoolOptions.MaxTasksPerWorker"/>).</summary>
    public int TasksAssigned { get; set; }

    /// <summary>Scheduler: calls answered.</summary>
    public long TasksCompleted { get; set; }

    /// <summary>Scheduler: being shut down on purpose; its disconnection is not a crash.</summary>
    public bool Retiring { get; set; }

    public string Name => $"worker #{Id} (pid {ProcessId})";

    public void Start()
    {
        new Thread(ReadLoop) { IsBackground = true, Name = $"ProcessPool {Name} reader" }.Start();
        new Thread(WriteLoop) { IsBackground = true, Name = $"ProcessPool {Name} writer" }.Start();
    }

    /// <summary>Queues a call for the worker; false if the channel is already down.</summary>
    public bool Send(Call call) => Enqueue(new Outgoing(MessageType.Invoke, call.Id, call));

    public void SendCancel(long callId) => Enqueue(new Outgoing(MessageType.Cancel, callId, null));

    public void SendWithdraw(long callId) => Enqueue(new Outgoing(MessageType.Withdraw, callId, null));

    public void SendShutdown() => Enqueue(new Outgoing(MessageType.Shutdown, 0, null));

    /// <summary>Scheduler: the channel is down; never pick this worker again.</summary>
    public bool Disconnected { get; set; }

    /// <summary>Releases the channel and the process handle once the worker is gone.</summary>
    public void Dispose()
    {
        _stream.Dispose();
        Process.Dispose();
    }

    /// <summary>Ends the process (and anything it started) without waiting for it to finish its work.</summary>
    public void Kill() => Process.KillTree();

    private bool Enqueue(Outgoing message)
    {
        lock (_outgoing)
        {
            if (_writerStopped)
            {
                return false; // the channel is down; the reader reports it and the scheduler re-routes the calls
            }

            _outgoing.Enqueue(message);
            if (_outgoing.Count == 1)
            {
                Monitor.Pulse(_outgoing);
            }

            return true;
        }
    }

    private void WriteLoop()
    {
        var buffer = new FrameBuffer();
        var batch = new List<Outgoing>();
        try
        {
            while (true)
            {
                lock (_outgoing)
                {
                    while (_outgoing.Count == 0)
                    {
                        if (_writerStopped)
                        {
                            return;
                        }

                        Monitor.Wait(_outgoing);
                    }

                    batch.AddRange(_outgoing);
                    _outgoing.Clear();
                }

                foreach (var message in batch)
                {
                    Encode(buffer, message);
                    if (buffer.Length >= 1 << 16)
                    {
                        _stream.Write(buffer.WrittenSpan);
                        buffer.Clear();
                    }
                }

                batch.Clear();
                _stream.Write(buffer.WrittenSpan);
                buffer.Clear();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or ArgumentException or OutOfMemoryException)
        {
            lock (_outgoing)
            {
                _writerStopped = true;
                _outgoing.Clear();
            }

            // Wake the reader if the socket is half-open, so the loss is reported once, by it.
            _socket.Dispose();
        }
    }

    private void Encode(FrameBuffer buffer, Outgoing message)
    {
        switch (message.Type)
        {
            case MessageType.Invoke:
                var call = message.Call!;
                if (_definedFunctions.Add(call.Function.Id))
                {
                    new DefineMessage(call.Function.Id, call.Function.Definition).Write(buffer);
                }

                new InvokeMessage(call.Id, call.Function.Id, call.ItemCount, call.Payload).Write(buffer);
                break;
            case MessageType.Cancel or MessageType.Withdraw:
                new CallIdMessage(message.CallId).Write(buffer, message.Type);
                break;
            case MessageType.Shutdown:
                new CallIdMessage(0).Write(buffer, MessageType.Shutdown);
                break;
        }
    }

    private void ReadLoop()
    {
        Exception? error = null;
        try
        {
            var reader = new FrameReader(new BufferedStream(_stream, 1 << 16));
            while (reader.TryRead(out var frame))
            {
                if (frame.Type == MessageType.Output)
                {
                    using (frame)
                    {
                        var output = OutputMessage.Read(frame.Body);
                        Output.Forward(output.IsError, output.Text);
                    }

                    continue;
                }

                if (frame.Type is not (MessageType.Result or MessageType.Canceled))
                {
                    frame.Dispose();
                    throw new ProtocolException($"{Name} sent an unexpected {frame.Type} message.");
                }

                _events.OnReply(this, frame);
            }
        }
        catch (Exception e)
        {
            // A malformed reply is as fatal to this channel as a broken socket; never to the parent.
            error = e;
        }

        lock (_outgoing)
        {
            _writerStopped = true;
            _outgoing.Clear();
            Monitor.Pulse(_outgoing);
        }

        _socket.Dispose();
        _events.OnDisconnected(this, error);
    }

    private readonly record struct Outgoing(MessageType Type, long CallId, Call? Call);
}

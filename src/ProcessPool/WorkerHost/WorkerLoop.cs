using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.WorkerHost;

/// <summary>
/// The worker's loop. A background reader thread takes frames off the channel; everything but
/// Cancel and Withdraw goes, in order, to this executor thread, which runs one call at a time and
/// flushes its replies (to its <see cref="ReplyRing"/>: no system call) before it runs the next
/// call's code, so a crash loses no finished result.
/// The reader answers Cancel and Withdraw itself: a call that has not started is withdrawn at once,
/// a running one has its token signalled. When the channel ends without a Shutdown, the parent is
/// gone and the process exits at once: no worker outlives its parent.
/// </summary>
internal sealed partial class WorkerLoop : IDisposable
{
    private static readonly TimeSpan UnhandledReportTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The longest a worker waits for its warm-up before it says it is ready all the same.</summary>
    private static readonly TimeSpan WarmUpWait = TimeSpan.FromSeconds(10);
    private readonly string _endpoint;
    private readonly string _token;
    private readonly string _workerId;
    private readonly BlockingCollection<Frame> _work = new(new ConcurrentQueue<Frame>());
    private readonly ConcurrentDictionary<long, CallState> _calls = new();
    private readonly Lock _writeLock = new();
    private readonly ConcurrentQueue<long> _withdrawn = new(); // calls the reader withdrew, to answer under the write lock
    private readonly Dictionary<int, Lazy<Invoker>> _functions = [];
    private readonly FrameBuffer _out = new();
    private readonly FrameBuffer _results = new();
    private Stream _stream = Stream.Null;
    private ReplyWriter _replies = new(Stream.Null, ring: null);
    private TextWriter _diagnostics = TextWriter.Null;
    private string _segmentDirectory = "";
    private PayloadContext _payload = null!; // set by Run once connected
    private SegmentPool? _segments;
    private volatile bool _stopping;

    public WorkerLoop(string endpoint, string token, string workerId)
    {
        _endpoint = endpoint;
        _token = token;
        _workerId = workerId;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _work.Dispose();
    }

    public int Run()
    {
        ProcessRole.IsWorker = true;
        try
        {
            _stream = OperatingSystem.IsLinux() ? UnixSocketStream.Connect(_endpoint) : ConnectWithSocket(_endpoint);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            Console.Error.WriteLine($"ProcessPool worker {_workerId}: cannot connect to the pool at '{_endpoint}': {e.Message}");
            return 3;
        }

        // Hello first: the parent's handshake and first calls overlap the rest of this worker's start-up
        // (the serializer's set-up, which the warm-up thread is doing now too).
        var ring = ReplyRing.Open(ReplyRing.PathFor(_endpoint)); // mapped before the hello, after which the parent deletes its file
        new HelloMessage(HelloMessage.CurrentProtocolVersion, _token, Environment.ProcessId).Write(_out);
        _stream.Write(_out.WrittenSpan);
        _out.Clear();
        _replies = new ReplyWriter(_stream, ring, _stream is UnixSocketStream unix ? unix.PeerClosed : null); // every later message goes to the ring, in order
        _segmentDirectory = Path.GetDirectoryName(_endpoint)!;
        SharedMemory.Register(_segmentDirectory, asParent: false); // the parent gives its segments back when their call ends
        _segments = new SegmentPool(_segmentDirectory, SegmentNames.Result(_workerId), inWorker: true);
        _payload = new PayloadContext(allowedTypes: null, _segments); // the types the parent allows (AllowTypes), results' arrays in shared memory
        SharedBuffer.WorkerRent = _segments.RentBuffer;

        // Managed console output travels on the channel, ordered with the results. The worker's own
        // diagnostics keep the real stderr: they matter most when the channel is broken.
        _diagnostics = Console.Error;
        Console.SetOut(TextWriter.Synchronized(new ChannelTextWriter(text => SendOutput(isError: false, text))));
        Console.SetError(TextWriter.Synchronized(new ChannelTextWriter(text => SendOutput(isError: true, text))));

        UnhandledExceptions.ReportWith(SendUnhandled);

        // Ready once warm: the pool sends calls only then (and StartAsync counts the worker ready only
        // then), so a first call does not wait on the warm-up thread's compiling and set-up, or compete with it.
        WorkerWarmUp.WaitUntilDone(WarmUpWait);
        var reader = new Thread(ReadLoop) { IsBackground = true, Name = "ProcessPool worker reader" };
        try
        {
            lock (_writeLock)
            {
                ReadyMessage.Write(_out);
            }

            Flush();
            reader.Start();
            ExecuteLoop();
        }
        catch (ProtocolException e)
        {
            // A Define or Initialize body that cannot be decoded, or a message a worker never receives:
            // the channel cannot be trusted and there may be no call id to answer, so the worker leaves
            // as the reader does on a bad frame. (A call that cannot run, for example of a function never
            // defined, is answered as a failed call by Execute.) Replies already made go out first, so
            // the parent does not blame finished calls for the exit.
            FlushBeforeExit();
            ExitOnChannelFailure(e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A flush found the parent gone (a broken socket, or a full ring no one will read again).
            ExitOnChannelFailure(e);
        }

        return 0;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)] // loads the sockets assemblies only here
    private static NetworkStream ConnectWithSocket(string endpoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(endpoint));
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void ReadLoop()
    {
        try
        {
            var frames = new FrameReader(_stream);
            while (frames.TryRead(out var frame))
            {
                if (frame.Type is MessageType.Cancel or MessageType.Withdraw)
                {
                    long callId = CallIdMessage.Read(frame.Body).CallId;
                    if (_calls.TryGetValue(callId, out var state))
                    {
                        if (state.TryWithdraw())
                        {
                            ReplyWithdrawn(callId);
                        }
                        else if (frame.Type == MessageType.Cancel)
                        {
                            // Token callbacks are user code: run them off this thread, which must keep reading.
                            _ = state.Cancellation.CancelAsync();
                        }
                    }

                    frame.Dispose();
                    continue;
                }

                if (frame.Type == MessageType.Invoke)
                {
                    _calls.TryAdd(InvokeMessage.Read(frame.Body).CallId, new CallState());
                }

                _work.Add(frame);
            }
        }
        catch (Exception e) when (_stopping && e is IOException or ObjectDisposedException)
        {
            return; // the executor is shutting down and closed the channel under us
        }
        catch (Exception e) when (e is IOException or ProtocolException or ObjectDisposedException or MessagePackSerializationException)
        {
            ExitOnChannelFailure(e);
        }

        // End of stream: the parent closed the channel or died. Leave now, whatever is running, and take
        // the processes the calls started along (a parent that closed the channel on purpose would kill them anyway).
        ImmediateExit.Now(0, withDescendants: true);
    }

    // The executor sleeps on the queue between calls. Two ways to spare the hand-over from reader to
    // executor were measured and not kept, both on this project's 2-vCPU machine:
    // - a busy wait of up to 200 µs for the next call: the median round trip fell in one session
    //   (57–67 to 48–51 µs) but not in another, and the p99 rose from ~160 to 340–450 µs;
    // - two threads trading roles, so the thread that reads an idle-time call runs it while the other
    //   takes over reading: median 56–65 µs against 52–63 µs, p99 182–278 against 125–166 µs.
    private void ExecuteLoop()
    {
        while (true)
        {
            var frame = _work.Take();
            using (frame)
            {
                switch (frame.Type)
                {
                    case MessageType.Define:
                        var define = DefineMessage.Read(frame.Body);
                        _functions[define.FunctionId] = new Lazy<Invoker>(() => Invoker.Create(define.Definition));
                        break;
                    case MessageType.Invoke:
                        Execute(InvokeMessage.Read(frame.Body), MessageType.Result);
                        break;
                    case MessageType.Initialize:
                        Execute(InvokeMessage.Read(frame.Body), MessageType.InitializeResult);
                        break;
                    case MessageType.Allow:
                        AllowTypes(AllowMessage.Read(frame.Body).TypeNames);
                        break;
                    case MessageType.Shutdown:
                        Console.Out.Flush();
                        Console.Error.Flush();
                        _stopping = true;
                        Flush();
                        return;
                    default:
                        throw new ProtocolException($"A worker does not expect {frame.Type} messages.");
                }
            }

            if (_work.Count == 0)
            {
                Flush();
            }
        }
    }

    private void Execute(InvokeMessage call, MessageType replyType)
    {
        var state = _calls.TryGetValue(call.CallId, out var known) ? known : null;
        if (state is not null && !state.TryStart())
        {
            _calls.TryRemove(call.CallId, out _);
            return; // withdrawn before it started; the reader has answered
        }

        // Replies still buffered go out before user code runs: if this call kills the process, the
        // calls that finished before it must not be lost (and blamed for the crash).
        Flush();
        var token = state?.Cancellation.Token ?? CancellationToken.None;
        long started = Stopwatch.GetTimestamp();
        int completed = 0;
        ExceptionInfo? error = null;
        bool canceled = false;
        _results.Clear();
        var writer = new MessagePackWriter(_results);
        var options = _payload.BeginWrite(sharedMemory: true);
        var segments = options.Writing;
        try
        {
            var invoker = _functions.TryGetValue(call.FunctionId, out var lazy)
                ? lazy.Value
                : throw new ProtocolException($"Function {call.FunctionId} was never defined in this worker.");
            var reader = new MessagePackReader(call.Payload);
            object? target = invoker.ReadTarget(ref reader, _payload.Reading, token);
            if (invoker.Typed is { } typed)
            {
                typed.Run(target, ref reader, ref writer, call.ItemCount, ref completed, options, token);
            }

            for (; completed < call.ItemCount; completed++)
            {
                invoker.WriteResult(ref writer, invoker.Invoke(target, ref reader, _payload.Reading, token), options);
                writer.Flush();
                segments.Commit();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            canceled = true;
        }
        catch (Exception e)
        {
            error = ExceptionState.Capture(e, _payload);

            // Files of a result that failed half-way are referenced by nothing that will be sent.
            segments.DeleteCreated(from: segments.Committed);
        }
        finally
        {
            // The state is not disposed: the reader may be cancelling it right now, and it owns no timer.
            _calls.TryRemove(call.CallId, out _);
            _segments?.EndBorrowing(); // the call's argument buffers are the caller's again
        }

        if (canceled)
        {
            segments.DeleteCreated();
            Reply(new CallIdMessage(call.CallId));
            return;
        }

        Console.Out.Flush(); // a partial line written by this call goes before its result
        Console.Error.Flush();
        if (_results.Length > PreparedCall.MaxPayloadLength)
        {
            error = ExceptionInfo.From(new InvalidOperationException(
                $"The results of this call serialize to {_results.Length:N0} bytes, more than the {PreparedCall.MaxPayloadLength:N0} a message may carry."));
            completed = 0;
            _results.Clear();
            segments.DeleteCreated();
        }

        long elapsed = Stopwatch.GetElapsedTime(started).Ticks;
        lock (_writeLock)
        {
            new ResultMessage(call.CallId, elapsed, completed, error, _results.WrittenMemory).Write(_out, replyType);
        }

        segments.Delivered(); // buffers sent with the results are the parent's now
    }

    private void ExitOnChannelFailure(Exception e)
    {
        _diagnostics.WriteLine($"ProcessPool worker {_workerId}: the channel to the pool failed: {e.Message}");

        // The parent is gone or the channel is useless: nothing to hand back. A broken socket (rather than
        // garbage on it) most likely means the parent died; a living one kills the descendants when it sees this exit.
        ImmediateExit.Now(4, withDescendants: e is IOException);
    }

    /// <summary>The parent's <see cref="ProcessPoolOptions.AllowedTypes"/>: the parent is trusted to name types (it names functions too).</summary>
    private static void AllowTypes(string[] names)
    {
        foreach (string name in names)
        {
            var type = Type.GetType(name, throwOnError: false)
                ?? throw new ProtocolException($"The allowed type '{name}' cannot be loaded in the worker; is its assembly part of the app?");
            AllowedTypeRegistry.Add(type);
        }
    }

    /// <summary>A call the worker has received: queued, running or withdrawn, and its cancellation.</summary>
    private sealed class CallState
    {
        private const int Queued = 0;
        private const int Running = 1;
        private const int Withdrawn = 2;
        private int _state;

        public CancellationTokenSource Cancellation { get; } = new();

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;
    }
}

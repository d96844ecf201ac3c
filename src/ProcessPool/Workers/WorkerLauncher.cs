using System.Diagnostics;
using System.Net.Sockets;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;
using ProcessPool.WorkerHost;

namespace ProcessPool.Workers;

/// <summary>
/// Starts one worker process and completes its handshake: the worker connects to a Unix socket in the
/// pool's private (0700) directory and must present the pool's random token; then the pool's
/// initializer, if any, runs before the worker is handed to the scheduler.
/// </summary>
internal sealed class WorkerLauncher : IWorkerFactory
{
    private readonly ProcessPoolOptions _options;
    private readonly WorkerEndpoint _endpoint;
    private readonly PreparedCall? _initializer;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> _starting = new();

    public WorkerLauncher(ProcessPoolOptions options, WorkerEndpoint endpoint, PreparedCall? initializer, TimeProvider time)
    {
        _options = options;
        _endpoint = endpoint;
        _initializer = initializer;
        _time = time;
    }

    public string SegmentDirectory => _endpoint.Directory;

    /// <summary>Makes a worker's reply ring at a path; replaced by tests to play a full file system.</summary>
    internal Func<string, ReplyRing> RingFactory { get; init; } = path => ReplyRing.Create(path);

    /// <summary>Removes the pool's private directory (sockets, shared-memory files).</summary>
    public void Dispose() => _endpoint.Dispose();

    public async Task<IWorker> StartAsync(int workerId, IWorkerEvents events)
    {
        var command = WorkerCommand.Current;
        string socketPath = _endpoint.SocketPath(workerId);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);

        var process = new Process { StartInfo = CreateStartInfo(command, workerId) };
        var output = new WorkerOutput(workerId, _options.WorkerOutput);
        string ringPath = ReplyRing.PathFor(socketPath);
        ReplyRing? ring = null;
        Socket? socket = null;
        NetworkStream? stream = null;
        try
        {
            ring = CreateRing(ringPath); // mapped by the worker before it says hello
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new WorkerStartException($"Cannot start worker #{workerId} with '{command.FileName}': {e.Message}", e);
            }

            _starting[workerId] = process;
            process.StandardInput.Close(); // user code that reads stdin sees end of file, not the parent's terminal
            output.Attach(process);
            using var timeout = new CancellationTokenSource(_options.WorkerStartTimeout, _time);
            var accept = listener.AcceptAsync(timeout.Token).AsTask();
            var exited = process.WaitForExitAsync(timeout.Token);
            var first = await Task.WhenAny(accept, exited).ConfigureAwait(false);
            if (first != accept || !accept.IsCompletedSuccessfully)
            {
                if (accept.IsCompletedSuccessfully)
                {
                    accept.Result.Dispose();
                }

                throw StartFailure(workerId, process, output, timeout.IsCancellationRequested
                    ? $"did not connect within {_options.WorkerStartTimeout.TotalSeconds:0.#} s"
                    : "exited before connecting");
            }

            socket = accept.Result;
            File.Delete(socketPath);
            socket.ReceiveTimeout = (int)_options.WorkerStartTimeout.TotalMilliseconds;
            stream = new NetworkStream(socket, ownsSocket: true);
            var replies = Handshake(workerId, process, output, socket, stream, ring);
            socket.ReceiveTimeout = 0;
            return new WorkerConnection(workerId, process, output, socket, stream, replies, events, _time, _options.KillWorkerDescendants);
        }
        catch
        {
            ring?.Dispose();
            stream?.Dispose();
            socket?.Dispose();
            process.KillTree();
            if (_options.KillWorkerDescendants)
            {
                process.KillGroup();
            }

            process.Dispose();
            File.Delete(socketPath);
            throw;
        }
        finally
        {
            DeleteRingFile(ringPath);
            _starting.TryRemove(workerId, out _);
        }
    }

    public void KillStarting()
    {
        foreach (var process in _starting.Values)
        {
            process.KillTree();
        }
    }

    /// <summary>
    /// The worker's reply ring, or none when its file cannot be made (a full /dev/shm): the worker then
    /// finds no file and writes everything to the socket, slower but whole.
    /// </summary>
    private ReplyRing? CreateRing(string path)
    {
        try
        {
            return RingFactory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteRingFile(path); // a worker must not map a file that was left half made
            return null;
        }
    }

    /// <summary>Both sides have the ring mapped, or the start failed: its file has done its job.</summary>
    private static void DeleteRingFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a system that keeps mapped files (Windows): the pool's directory goes with the pool
        }
    }

    /// <summary>Checks the worker's Hello, sends what it needs before calls, runs the initializer; returns the reader of the worker's messages.</summary>
    private ReplyReader Handshake(int workerId, Process process, WorkerOutput output, Socket socket, NetworkStream stream, ReplyRing? ring)
    {
        var hello = new FrameReader(stream, bufferSize: 0); // no read-ahead: what follows belongs to the replies' reader
        ReceiveHello(hello, _endpoint.Token, workerId, what => StartFailure(workerId, process, output, what));
        var reader = new ReplyReader(new FrameReader(stream), ring); // after its Hello, the worker writes to the ring
        ReceiveReady(reader, what => StartFailure(workerId, process, output, what));
        if (_options.AllowedTypes.Count > 0)
        {
            var buffer = new FrameBuffer();
            new AllowMessage(AllowedTypeRegistry.NamesOf(_options.AllowedTypes)).Write(buffer);
            stream.Write(buffer.WrittenSpan); // ahead of any call, so arguments are read with the list in place
        }

        if (_initializer is { } init)
        {
            try
            {
                socket.ReceiveTimeout = 0; // the initializer is user code: it may take as long as it likes
                RunInitializer(workerId, process, output, stream, reader, init);
            }
            catch (Exception e) when (e is IOException or SocketException or ProtocolException)
            {
                throw StartFailure(workerId, process, output, $"failed during the handshake ({e.Message.TrimEnd('.')})");
            }
        }

        return reader;
    }

    /// <summary>
    /// Reads the worker's Hello and checks its protocol version and token. Whatever arrives instead
    /// (nothing, garbage, a truncated or oversized frame, another message) ends in a
    /// <see cref="WorkerStartException"/>, built by <paramref name="failure"/> from what went wrong.
    /// The wait is bounded by the socket's receive timeout, which ends it as an <see cref="IOException"/>.
    /// </summary>
    internal static HelloMessage ReceiveHello(FrameReader reader, string token, int workerId, Func<string, WorkerStartException> failure)
    {
        HelloMessage message;
        try
        {
            if (!reader.TryRead(out var hello))
            {
                throw failure("closed the channel instead of saying hello");
            }

            using (hello)
            {
                message = hello.Type == MessageType.Hello
                    ? HelloMessage.Read(hello.Body)
                    : throw failure($"sent a {hello.Type} message instead of saying hello");
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException)
        {
            // Decoders fail only with ProtocolException; the stream, with IOException (a receive timeout included).
            throw failure($"failed during the handshake ({e.Message.TrimEnd('.')})");
        }

        if (message.ProtocolVersion != HelloMessage.CurrentProtocolVersion || message.Token != token)
        {
            throw new WorkerStartException($"The process that connected as worker #{workerId} did not present this pool's token and protocol version {HelloMessage.CurrentProtocolVersion}; it was refused.");
        }

        return message;
    }

    /// <summary>
    /// Waits for the worker's Ready: it has warmed up (bounded by the socket's receive timeout, as the Hello).
    /// The initializer and the first calls go only to a warm worker.
    /// </summary>
    internal static void ReceiveReady(ReplyReader reader, Func<string, WorkerStartException> failure)
    {
        try
        {
            if (!reader.TryRead(out var ready))
            {
                throw failure("closed the channel before it was ready");
            }

            using (ready)
            {
                if (ready.Type != MessageType.Ready)
                {
                    throw failure($"sent a {ready.Type} message instead of saying it was ready");
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException)
        {
            throw failure($"failed during the handshake ({e.Message.TrimEnd('.')})");
        }
    }

    private void RunInitializer(int workerId, Process process, WorkerOutput output, Stream stream, ReplyReader reader, PreparedCall init)
    {
        var buffer = new FrameBuffer();
        new DefineMessage(init.Function.Id, init.Function.Definition).Write(buffer);
        new InvokeMessage(0, init.Function.Id, 1, init.Payload).Write(buffer, MessageType.Initialize);
        stream.Write(buffer.WrittenSpan);

        Frame reply;
        while (true)
        {
            if (!reader.TryRead(out reply))
            {
                throw StartFailure(workerId, process, output, "died while running the pool's initializer");
            }

            if (reply.Type == MessageType.Unhandled)
            {
                UnhandledMessage report;
                using (reply)
                {
                    report = UnhandledMessage.Read(reply.Body); // a thread the initializer started threw; the worker is dying of it
                }

                throw StartFailure(workerId, process, output, $"died of an unhandled {report.Exception.TypeName.Split(',')[0]} on {report.Thread} while running the pool's initializer ({report.Exception.Message.TrimEnd('.')})");
            }

            if (reply.Type != MessageType.Output)
            {
                break;
            }

            using (reply)
            {
                var text = OutputMessage.Read(reply.Body); // the initializer printed something
                output.Forward(text.IsError, text.Text);
            }
        }

        if (reply.Type != MessageType.InitializeResult)
        {
            reply.Dispose();
            throw new ProtocolException($"Worker #{workerId} answered its initializer with {reply.Type}.");
        }

        using (reply)
        {
            var result = ResultMessage.Read(reply.Body);
            if (result.Error is { } error)
            {
                throw new WorkerInitializationException(
                    $"The pool's initializer {init.Function.Name} threw {error.TypeName.Split(',')[0]} in worker #{workerId}: {error.Message}. " +
                    "The pool is broken: pending and later tasks fail with this exception.",
                    RemoteExceptionFactory.Create(error, _options.AllowedTypes));
            }
        }
    }

    private ProcessStartInfo CreateStartInfo(WorkerCommand command, int workerId)
    {
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _options.WorkingDirectory ?? Environment.CurrentDirectory,
        };
        // Workers exist to run hot loops: compile methods that contain loops fully optimised at once
        // instead of starting them in tier-0 code and waiting for on-stack replacement (measured here:
        // a CPU-bound map went from 1.2x to ~1.9x on 2 workers). The app's own settings still win.
        // (Also setting DOTNET_TC_CallCountingDelayMs=0 and DOTNET_TieredPGO=0 was measured and
        // rejected: tiny items warmed up faster, but the CPU-bound map fell from 1.94x to 1.31x.)
        if (!info.Environment.ContainsKey("DOTNET_TC_QuickJitForLoops"))
        {
            info.Environment["DOTNET_TC_QuickJitForLoops"] = "0";
        }

        foreach (var (name, value) in _options.EnvironmentVariables)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        command.Apply(info, _endpoint, workerId, _options.KillWorkerDescendants);
        return info;
    }

    private static WorkerStartException StartFailure(int workerId, Process process, WorkerOutput output, string what)
    {
        string exit = "";
        if (process.WaitForExitAndOutput(TimeSpan.FromSeconds(2)))
        {
            exit = $" (exit code {process.ExitCode})";
        }

        string tail = output.StandardErrorTail();
        return new WorkerStartException(
            $"Worker #{workerId} {what}{exit}." + (tail.Length > 0 ? $" Its stderr:{Environment.NewLine}{tail}" : ""));
    }
}

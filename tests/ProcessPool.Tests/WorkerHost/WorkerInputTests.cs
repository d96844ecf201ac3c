using System.Diagnostics;
using System.Net.Sockets;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Tests.Support;
using ProcessPool.Workers;

namespace ProcessPool.Tests.WorkerHost;

/// <summary>
/// A real worker process, with the test as its parent: a malformed message from the parent ends the
/// worker with exit code 4 and a line on its stderr, never an unhandled-exception crash.
/// </summary>
public sealed class WorkerInputTests
{
    [Theory]
    [InlineData("a Define whose body is garbage")]
    [InlineData("an Initialize whose body is garbage")]
    [InlineData("an Invoke whose body is garbage")]
    [InlineData("a message a worker never receives")]
    public async Task A_malformed_message_ends_the_worker_with_a_diagnostic(string what)
    {
        byte[] frame = what switch
        {
            "a Define whose body is garbage" => [3, 0, 0, 0, (byte)MessageType.Define, 0x01, 0xc1],
            "an Initialize whose body is garbage" => [2, 0, 0, 0, (byte)MessageType.Initialize, 0xdb],
            "an Invoke whose body is garbage" => [2, 0, 0, 0, (byte)MessageType.Invoke, 0xc1],
            _ => Frames(b => new ResultMessage(1, 0, 0, null, ReadOnlyMemory<byte>.Empty).Write(b)),
        };

        await using var worker = await FakeParent.StartWorkerAsync();
        worker.Socket.Send(frame);

        var (exitCode, stderr) = await worker.WaitForExitAsync();
        Assert.Equal(4, exitCode);
        Assert.Contains("the channel to the pool failed", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replies_made_before_a_malformed_message_still_reach_the_parent()
    {
        var call = CallPreparer.Prepare((Func<int, int>)Maths.Square, new Arguments<int>(7), ProcessPool.Serialization.PayloadContext.ProcessWide);
        await using var worker = await FakeParent.StartWorkerAsync();
        worker.Socket.Send(Frames(b =>
        {
            new DefineMessage(call.Function.Id, call.Function.Definition).Write(b);
            new InvokeMessage(1, call.Function.Id, 1, call.Payload).Write(b);
            int bad = b.BeginFrame(MessageType.Define);
            b.Write([0xc1]);
            b.EndFrame(bad);
        }));

        var reader = new FrameReader(worker.Stream);
        var results = new List<long>();
        while (reader.TryRead(out var reply)) // until the worker's exit closes the channel
        {
            using (reply)
            {
                if (reply.Type == MessageType.Result)
                {
                    var result = ResultMessage.Read(reply.Body);
                    Assert.Null(result.Error);
                    results.Add(result.CallId);
                }
            }
        }

        Assert.Equal([1L], results);
        Assert.Equal(4, (await worker.WaitForExitAsync()).ExitCode);
    }

    private static byte[] Frames(Action<FrameBuffer> write)
    {
        var buffer = new FrameBuffer();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A worker process connected to the test, past its Hello; killed and cleaned up on dispose.</summary>
    private sealed class FakeParent : IAsyncDisposable
    {
        private readonly WorkerEndpoint _endpoint;
        private readonly Process _process;

        private FakeParent(WorkerEndpoint endpoint, Process process, Socket socket)
        {
            _endpoint = endpoint;
            _process = process;
            Socket = socket;
            Stream = new NetworkStream(socket, ownsSocket: true);
        }

        public Socket Socket { get; }

        public NetworkStream Stream { get; }

        public static async Task<FakeParent> StartWorkerAsync()
        {
            var endpoint = new WorkerEndpoint();
            var command = WorkerCommand.Current;
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(endpoint.SocketPath(1)));
            listener.Listen(1);
            var info = new ProcessStartInfo { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            command.Apply(info, endpoint, 1, ownDescendants: true);
            var process = Process.Start(info)!;
            var socket = await listener.AcceptAsync().WaitAsync(Bounded.Timeout);
            socket.ReceiveTimeout = (int)Bounded.Timeout.TotalMilliseconds;
            var parent = new FakeParent(endpoint, process, socket);
            WorkerLauncher.ReceiveHello(new FrameReader(parent.Stream, bufferSize: 0), endpoint.Token, 1, what => new WorkerStartException(what));
            return parent;
        }

        public async Task<(int ExitCode, string Stderr)> WaitForExitAsync()
        {
            var stderr = _process.StandardError.ReadToEndAsync();
            await _process.WaitForExitAsync().WaitAsync(Bounded.Timeout);
            return (_process.ExitCode, await stderr.WaitAsync(Bounded.Timeout));
        }

        public ValueTask DisposeAsync()
        {
            _process.KillTree();
            _process.Dispose();
            Stream.Dispose();
            _endpoint.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

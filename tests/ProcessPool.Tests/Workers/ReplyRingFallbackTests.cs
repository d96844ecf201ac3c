using ProcessPool.Protocol;
using ProcessPool.Tests.Support;
using ProcessPool.Workers;

namespace ProcessPool.Tests.Workers;

/// <summary>
/// A worker whose reply ring cannot be made (a full /dev/shm: the ring's pages cannot be allocated)
/// starts without one and writes everything to its socket; the parent neither crashes nor fails the start.
/// </summary>
public sealed class ReplyRingFallbackTests
{
    [Fact]
    public async Task A_worker_whose_ring_cannot_be_made_starts_without_one_and_replies_on_its_socket()
    {
        var options = new ProcessPoolOptions { WorkerStartTimeout = TimeSpan.FromSeconds(20) };
        using var launcher = new WorkerLauncher(options, new WorkerEndpoint(), initializer: null, TimeProvider.System)
        {
            RingFactory = path =>
            {
                // Made, then found without room: a worker that mapped this file would write its Ready
                // where nobody reads, and the start would time out.
                File.WriteAllBytes(path, new byte[256 + 4096]);
                throw new IOException("No space left on device");
            },
        };

        var events = new Events();
        var worker = (WorkerConnection)await launcher.StartAsync(1, events).Within(); // its Ready came on the socket, which alone the parent reads
        try
        {
            Assert.False(File.Exists(ReplyRing.PathFor(Path.Combine(launcher.SegmentDirectory, "w1.sock"))));
            worker.Start();
            worker.SendShutdown();
            Assert.Null(await events.Disconnected.Task.Within()); // it left as asked: a clean end of its channel
        }
        finally
        {
            worker.Reap(killFirst: false);
            worker.Dispose();
        }
    }

    private sealed class Events : IWorkerEvents
    {
        public TaskCompletionSource<Exception?> Disconnected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnReply(IWorker worker, Frame frame, bool dispatch) => frame.Dispose();

        public void OnRepliesHandled(IWorker worker)
        {
        }

        public void OnDisconnected(IWorker worker, Exception? error) => Disconnected.TrySetResult(error);
    }
}

using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;

namespace ProcessPool.WorkerHost;

/// <summary>
/// A rehearsal of a first call, run on a second thread as soon as a worker starts: defining and
/// invoking a function of its own, through the same protocol, reflection and serializer code as a real
/// call. It overlaps connecting to the pool and the handshake, so the first real call finds that code
/// compiled and its static state built instead of paying for it (measured: ~25 ms of a ~165 ms start).
/// </summary>
internal static class WorkerWarmUp
{
    public static void Start() => new Thread(Rehearse) { IsBackground = true, Name = "ProcessPool worker warm-up" }.Start();

    private static int Identity(int value) => value;

    private static void Rehearse()
    {
        try
        {
            Func<int, int> function = Identity;
            var context = Serialization.PayloadContext.ProcessWide; // arrays inline
            var prepared = CallPreparer.Prepare(function, new Arguments<int>(7), context);
            var frames = new FrameBuffer();
            new DefineMessage(prepared.Function.Id, prepared.Function.Definition).Write(frames);
            new InvokeMessage(1, prepared.Function.Id, 1, prepared.Payload).Write(frames);
            var reader = new FrameReader(new MemoryStream(frames.WrittenSpan.ToArray()));

            reader.TryRead(out var defineFrame);
            Invoker invoker;
            using (defineFrame)
            {
                invoker = Invoker.Create(DefineMessage.Read(defineFrame.Body).Definition);
            }

            reader.TryRead(out var invokeFrame);
            using (invokeFrame)
            {
                var call = InvokeMessage.Read(invokeFrame.Body);
                var arguments = new MessagePackReader(call.Payload);
                var results = new FrameBuffer();
                var writer = new MessagePackWriter(results);
                int completed = 0;
                object? target = invoker.ReadTarget(ref arguments, context.Reading, CancellationToken.None);
                invoker.Typed?.Run(target, ref arguments, ref writer, call.ItemCount, ref completed, context.BeginWrite(sharedMemory: false), CancellationToken.None);
                writer.Flush();
                frames.Clear();
                new ResultMessage(call.CallId, 0, completed, null, results.WrittenMemory).Write(frames);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Only a rehearsal: the first real call pays for whatever it did not warm.
        }
    }
}

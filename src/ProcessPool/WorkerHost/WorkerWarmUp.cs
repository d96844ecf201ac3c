using System.Reflection;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.WorkerHost;

/// <summary>
/// A rehearsal of a first call, run on a second thread as soon as a worker starts: defining and
/// invoking a function of its own, through the same protocol, reflection and serializer code as a real
/// call. It overlaps connecting to the pool and the handshake, so the first real call finds that code
/// compiled and its static state built instead of paying for it (measured: ~25 ms of a ~165 ms start).
/// </summary>
internal static class WorkerWarmUp
{
    private static readonly ManualResetEventSlim s_done = new(initialState: true);

    /// <summary>
    /// Starts the rehearsal on a thread of its own, then places <see cref="LargeObjectReserve"/> on it (1–4 ms
    /// with the full collection its allocation triggers), so that neither delays connecting to the pool
    /// and the reserve does not delay the rehearsal.
    /// </summary>
    public static void Start()
    {
        s_done.Reset();
        new Thread(RehearseThenPlaceReserve) { IsBackground = true, Name = "ProcessPool worker warm-up" }.Start();
    }

    /// <summary>Waits (bounded) until the warm-up has finished; at once if none was started.</summary>
    public static void WaitUntilDone(TimeSpan timeout) => s_done.Wait(timeout);

    private static void RehearseThenPlaceReserve()
    {
        try
        {
            _ = Rehearse();
            LargeObjectReserve.Place(); // the rehearsal allocates no large object: the gap still opens the large object heap
        }
        finally
        {
            s_done.Set();
        }
    }

    private static int Identity(int value) => value;

    private static string? NullIfEmpty(string location) => location.Length == 0 ? null : location;

    /// <summary>Runs the rehearsal; whether the call ran and its result was written (a test checks the rehearsal rehearses).</summary>
    internal static bool Rehearse()
    {
        try
        {
            var context = PayloadContext.ProcessWide; // arrays inline

            // The call as a parent writes it, without the parent's own code (naming the function,
            // scanning its target), which a worker never runs: a static function, no target, one int.
            var method = typeof(WorkerWarmUp).GetMethod(nameof(Identity), BindingFlags.NonPublic | BindingFlags.Static)!;
            string intName = TypeNames.Of(typeof(int));
            var definition = new FunctionDefinition(
                method.Module.Assembly.FullName!, NullIfEmpty(method.Module.Assembly.Location), method.Module.ModuleVersionId, method.MetadataToken,
                TypeNames.Of(typeof(WorkerWarmUp)), nameof(Identity), [], TargetKind.None, null, [intName], intName);
            var payload = new FrameBuffer();
            var written = new MessagePackWriter(payload);
            written.WriteNil();
            written.Write(7);
            written.Flush();
            var frames = new FrameBuffer();
            new DefineMessage(1, definition).Write(frames);
            new InvokeMessage(1, 1, 1, payload.WrittenMemory).Write(frames);
            var input = new FrameReader(new MemoryStream(frames.WrittenSpan.ToArray()));

            input.TryRead(out var defineFrame);
            Invoker invoker;
            using (defineFrame)
            {
                invoker = Invoker.Create(DefineMessage.Read(defineFrame.Body).Definition);
            }

            input.TryRead(out var invokeFrame);
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
                return completed == 1 && results.WrittenSpan.SequenceEqual(payload.WrittenSpan[1..]); // 7, as it came
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false; // only a rehearsal: the first real call pays for whatever it did not warm
        }
    }
}

using ProcessPool.Protocol;

namespace ProcessPool.Workers;

/// <summary>What a worker reports to the scheduler that owns it, from its reader thread.</summary>
internal interface IWorkerEvents
{
    /// <summary>
    /// A Result or Canceled frame arrived. The receiver disposes the frame. Without
    /// <paramref name="dispatch"/>, more replies are already buffered: new calls wait until the last of
    /// them, or until <see cref="OnRepliesHandled"/>.
    /// </summary>
    void OnReply(IWorker worker, Frame frame, bool dispatch);

    /// <summary>The replies of a burst have all been handled: dispatch the calls they made room for.</summary>
    void OnRepliesHandled(IWorker worker);

    /// <summary>The channel closed or failed: the worker is gone or going.</summary>
    void OnDisconnected(IWorker worker, Exception? error);
}

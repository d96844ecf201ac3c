using ProcessPool.Protocol;

namespace ProcessPool.Workers;

/// <summary>What a <see cref="WorkerConnection"/> reports to the scheduler that owns it, from its reader thread.</summary>
internal interface IWorkerEvents
{
    /// <summary>A Result or Canceled frame arrived. The receiver disposes the frame.</summary>
    void OnReply(WorkerConnection worker, Frame frame);

    /// <summary>The channel closed or failed: the worker is gone or going.</summary>
    void OnDisconnected(WorkerConnection worker, Exception? error);
}

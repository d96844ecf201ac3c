using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Scheduling;

/// <summary>A chunk of a Map: several items in one message; results (or the first error) come back together.</summary>
internal sealed class ChunkCall<TResult> : Call
{
    private readonly TaskCompletionSource<ChunkOutcome<TResult>> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChunkCall(PreparedCall prepared, int itemCount, CallPolicy policy, CancellationToken cancellationToken)
        : base(prepared, itemCount, policy, cancellationToken)
    {
    }

    public Task<ChunkOutcome<TResult>> Task => _completion.Task;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)] // runs per item
    protected override void OnCompleted(in ResultMessage result)
    {
        // The count comes from the worker and sizes an array: it must be one this chunk can have.
        if (result.CompletedCount > ItemCount || (result.Error is null && result.CompletedCount != ItemCount))
        {
            _completion.TrySetException(new ProtocolException($"The worker reported {result.CompletedCount} of {ItemCount} items done{(result.Error is null ? " and no error" : "")}."));
            return;
        }

        try
        {
            var options = Policy.Payload.Reading;
            var results = new TResult[result.CompletedCount];
            var reader = new MessagePackReader(result.Payload);
            for (int i = 0; i < results.Length; i++)
            {
                results[i] = PayloadSerializer.Read<TResult>(ref reader, options);
            }

            var error = result.Error is { } info ? RemoteExceptionFactory.Create(info, Policy.Payload) : null;
            _completion.TrySetResult(new ChunkOutcome<TResult>(results, error, TimeSpan.FromTicks(result.ElapsedTicks)));
        }
        catch (Exception e)
        {
            // Whatever the reply held, the call must end: a result that cannot be read fails its task.
            _completion.TrySetException(PayloadSerializer.ReadFailure($"the results of {Function.Name}", typeof(TResult), e));
        }
    }

    protected override void OnFailed(Exception exception) => _completion.TrySetException(exception);

    protected override void OnCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}

/// <summary>What a chunk produced: the results of the items that succeeded, then the error of the one that failed, if any.</summary>
internal sealed record ChunkOutcome<TResult>(TResult[] Results, Exception? Error, TimeSpan WorkerTime);

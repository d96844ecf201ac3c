using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Scheduling;

/// <summary>A Submit: one item, one result.</summary>
internal sealed class SingleCall<TResult> : Call
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SingleCall(PreparedCall prepared, CallPolicy policy, CancellationToken cancellationToken)
        : base(prepared, itemCount: 1, policy, cancellationToken)
    {
    }

    public Task<TResult> Task => _completion.Task;

    protected override void OnCompleted(in ResultMessage result)
    {
        if (result.Error is { } error)
        {
            _completion.TrySetException(RemoteExceptionFactory.Create(error, Policy.Payload));
            return;
        }

        try
        {
            var reader = new MessagePackReader(result.Payload);
            _completion.TrySetResult(PayloadSerializer.Read<TResult>(ref reader, Policy.Payload.Reading));
        }
        catch (Exception e)
        {
            // Whatever the reply held, the call must end: a result that cannot be read fails its task.
            _completion.TrySetException(PayloadSerializer.ReadFailure($"the result of {Function.Name}", typeof(TResult), e));
        }
    }

    protected override void OnFailed(Exception exception) => _completion.TrySetException(exception);

    protected override void OnCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}

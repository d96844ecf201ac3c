using System.Runtime.CompilerServices;
using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;

namespace ProcessPool;

// The Submit overloads: one family per delegate shape, 0 to 3 arguments each. All funnel into Submit.
public sealed partial class ProcessPoolExecutor
{
    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<TResult>(Func<TResult> function, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, TResult> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<TResult>(Func<Task<TResult>> function, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, Task<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, Task<TResult>> function, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, Task<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync(Action function, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1>(Action<T1> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1, T2>(Action<T1, T2> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1, T2, T3>(Action<T1, T2, T3> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync(Func<Task> function, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1>(Func<T1, Task> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, Task> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync(Func<CancellationToken, Task> function, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1>(Func<T1, CancellationToken, Task> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, Task> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<TResult>(Func<TResult> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, TResult> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<TResult>(Func<Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync(Action function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1>(Action<T1> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1, T2>(Action<T1, T2> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    public Task SubmitAsync<T1, T2, T3>(Action<T1, T2, T3> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync(Func<Task> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1>(Func<T1, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync(Func<CancellationToken, Task> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1>(Func<T1, CancellationToken, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(2)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    private Task<TResult> Submit<TResult, TArgs>(Delegate function, TArgs arguments, TaskOptions? options, CancellationToken cancellationToken)
        where TArgs : struct, IArgumentWriter
    {
        ArgumentNullException.ThrowIfNull(function);
        ObjectDisposedException.ThrowIf(_scheduler.IsShutdown, this);
        if (!cancellationToken.CanBeCanceled)
        {
            cancellationToken = arguments.Token;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var prepared = CallPreparer.Prepare(function, arguments, _policy.Payload);

        var call = new SingleCall<TResult>(prepared, _policy.With(options), cancellationToken);
        try
        {
            _scheduler.Enqueue(call);
        }
        catch (ObjectDisposedException)
        {
            prepared.ReleaseSegments(readByWorker: false); // the pool shut down between the check above and now
            throw;
        }

        return call.Task;
    }
}

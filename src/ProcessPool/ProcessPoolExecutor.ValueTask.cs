using System.Runtime.CompilerServices;
using ProcessPool.Invocation;

namespace ProcessPool;

// The Submit and Map overloads for functions that return a ValueTask: they funnel into the same Submit and Map.
public sealed partial class ProcessPoolExecutor
{
    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<TResult>(Func<ValueTask<TResult>> function, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> function, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync(Func<ValueTask> function, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1>(Func<T1, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync(Func<CancellationToken, ValueTask> function, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1>(Func<T1, CancellationToken, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<TResult>(Func<ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<TResult, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync(Func<ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1>(Func<T1, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync(Func<CancellationToken, ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, NoArguments>(function, default, options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1>(Func<T1, CancellationToken, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1>>(function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2>>(function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => Submit<object?, Arguments<T1, T2, T3>>(function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: true, cancellationToken);

    /// <inheritdoc/>
    [OverloadResolutionPriority(1)]
    public IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default)
        => Map<T, TResult>(function, ToAsync(source), WriteItem<T>, options, ordered: false, cancellationToken);
}

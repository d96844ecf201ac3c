using System.Runtime.CompilerServices;

namespace ProcessPool;

// The shapes of IExecutor for functions that return a ValueTask or ValueTask<TResult>: the same as for
// Task, so a ValueTask function is awaited in its worker and its result comes back, as for a Task one.
// Overload priorities keep every existing call meaning what it meant: an async lambda converts to a
// Task and a ValueTask delegate alike, so the Task shapes rank first (2), then these (1), then the
// plain Func<TResult> shapes (0), which would otherwise take a ValueTask function as a value.
public partial interface IExecutor
{
    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<TResult>(Func<ValueTask<TResult>> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync(Func<ValueTask> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1>(Func<T1, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync(Func<CancellationToken, ValueTask> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1>(Func<T1, CancellationToken, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<TResult>(Func<ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync(Func<ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1>(Func<T1, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync(Func<CancellationToken, ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1>(Func<T1, CancellationToken, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">This task's timeout, cancellation mode and retry policy.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(1)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>,
    /// for a function that returns a <see cref="ValueTask{TResult}"/>.
    /// </summary>
    /// <param name="function">The asynchronous function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    [OverloadResolutionPriority(1)]
    IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>,
    /// for a function that returns a <see cref="ValueTask{TResult}"/>, yielding results as they complete.
    /// </summary>
    /// <param name="function">The asynchronous function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    [OverloadResolutionPriority(1)]
    IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, ValueTask<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);
}

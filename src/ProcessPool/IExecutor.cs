using System.Runtime.CompilerServices;

namespace ProcessPool;

/// <summary>
/// Runs functions somewhere other than the calling thread (in worker processes for
/// <see cref="ProcessPoolExecutor"/>) and returns their results as tasks. The members mirror
/// Python's <c>concurrent.futures.Executor</c>: Submit, Map and Shutdown.
/// </summary>
/// <remarks>
/// Functions may be static methods, lambdas (capturing lambdas ship their captured variables),
/// instance methods of serializable objects and generic methods. Arguments, captured state and results
/// must be serializable; what is not makes the Submit call throw <see cref="PayloadSerializationException"/>.
/// A <see cref="CancellationToken"/> parameter of the function receives a token that is cancelled when
/// the caller's <c>cancellationToken</c> is; a token captured by a lambda becomes that same token.
/// </remarks>
public partial interface IExecutor : IAsyncDisposable
{
    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<TResult>(Func<TResult> function, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, TResult> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<TResult>(Func<Task<TResult>> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, Task<TResult>> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, Task<TResult>> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, Task<TResult>> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync(Action function, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1>(Action<T1> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1, T2>(Action<T1, T2> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1, T2, T3>(Action<T1, T2, T3> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync(Func<Task> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1>(Func<T1, Task> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, Task> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync(Func<CancellationToken, Task> function, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1>(Func<T1, CancellationToken, Task> function, T1 arg1, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, Task> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<TResult>(Func<TResult> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, TResult> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<TResult>(Func<Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<TResult>(Func<CancellationToken, Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, TResult>(Func<T1, CancellationToken, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, TResult>(Func<T1, T2, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task<TResult> SubmitAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync(Action function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1>(Action<T1> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1, T2>(Action<T1, T2> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    Task SubmitAsync<T1, T2, T3>(Action<T1, T2, T3> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync(Func<Task> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1>(Func<T1, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync(Func<CancellationToken, Task> function, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1>(Func<T1, CancellationToken, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2>(Func<T1, T2, CancellationToken, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    [OverloadResolutionPriority(2)]
    Task SubmitAsync<T1, T2, T3>(Func<T1, T2, T3, CancellationToken, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="function"/> to each item of <paramref name="source"/> in the workers and
    /// yields the results in input order. Lazy and bounded: the source is read only a window ahead
    /// of the consumer (<see cref="MapOptions.MaxInFlight"/>). When the consumer stops early or an
    /// item fails, what has not started is cancelled; a failed item's exception is thrown when its turn comes.
    /// </summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>, over an asynchronous source.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, TResult> function, IAsyncEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a two-argument <paramref name="function"/> to the pairs of items of two sources, zipped
    /// like Python's <c>map(fn, xs, ys)</c> (it stops at the shorter), yielding results in input order.
    /// </summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>, but yields results as they complete.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>,
    /// for an asynchronous function: each worker awaits the function's task and sends back its result.
    /// </summary>
    /// <param name="function">The asynchronous function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    [OverloadResolutionPriority(2)]
    IAsyncEnumerable<TResult> MapAsync<T, TResult>(Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="MapAsync{T, TResult}(Func{T, Task{TResult}}, IEnumerable{T}, MapOptions?, CancellationToken)"/>, but yields results as they complete.</summary>
    /// <param name="function">The asynchronous function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    [OverloadResolutionPriority(2)]
    IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, Task<TResult>> function, IEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="MapUnorderedAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>, over an asynchronous source.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapUnorderedAsync<T, TResult>(Func<T, TResult> function, IAsyncEnumerable<T> source, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="MapAsync{T1, T2, TResult}(Func{T1, T2, TResult}, IEnumerable{T1}, IEnumerable{T2}, MapOptions?, CancellationToken)"/>, but yields results as they complete.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    IAsyncEnumerable<TResult> MapUnorderedAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The blocking form of <see cref="MapAsync{T, TResult}(Func{T, TResult}, IEnumerable{T}, MapOptions?, CancellationToken)"/>, like Python's <c>Executor.map</c>.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source">The items.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    IEnumerable<TResult> Map<T, TResult>(Func<T, TResult> function, IEnumerable<T> source, MapOptions? options = null);

    /// <summary>The blocking form of the two-source <c>MapAsync</c>.</summary>
    /// <param name="function">The function to apply.</param>
    /// <param name="source1">The first arguments.</param>
    /// <param name="source2">The second arguments.</param>
    /// <param name="options">Chunk size, in-flight window and deadline; <see langword="null"/> for the defaults.</param>
    IEnumerable<TResult> Map<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<T1> source1, IEnumerable<T2> source2, MapOptions? options = null);

    /// <summary>
    /// Stops accepting work, with Python's semantics. Work already submitted still runs unless
    /// <paramref name="cancelPending"/> cancels what has not started; then the workers exit.
    /// Submitting afterwards throws <see cref="ObjectDisposedException"/>. A map running at the time
    /// yields the results of the items it had submitted, in order for <c>MapAsync</c>, then ends with an
    /// <see cref="ObjectDisposedException"/> that says the pool was shut down and how many items were not run.
    /// </summary>
    /// <param name="wait">When true, the returned task completes once all work has ended and the workers have exited; when false, at once.</param>
    /// <param name="cancelPending">When true, tasks that have not been sent to a worker end as cancelled.</param>
    Task ShutdownAsync(bool wait = true, bool cancelPending = false);

    /// <summary>
    /// Shuts down within a deadline: running work may finish for up to <paramref name="timeout"/>; then
    /// what is left is cancelled (queued tasks end cancelled, running ones have their token signalled)
    /// and, after <see cref="ProcessPoolOptions.KillGracePeriod"/>, the workers still busy are killed and
    /// their tasks end cancelled. The task completes when every worker has exited.
    /// </summary>
    /// <param name="timeout">How long running work may go on; <see cref="Timeout.InfiniteTimeSpan"/> waits for it.</param>
    /// <param name="cancelPending">When true, tasks that have not been sent to a worker end as cancelled at once.</param>
    Task ShutdownAsync(TimeSpan timeout, bool cancelPending = false);
}

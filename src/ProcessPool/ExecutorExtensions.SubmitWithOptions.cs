using System.Runtime.CompilerServices;
using ProcessPool.Invocation;

namespace ProcessPool;

// SubmitAsync with TaskOptions: the same shapes as ExecutorExtensions.Submit.cs, with a timeout, cancellation mode or retries of their own.
public static partial class ExecutorExtensions
{
    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<TResult> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, TResult> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, TResult> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, TResult> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<CancellationToken, Task<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, CancellationToken, Task<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(2)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, Task<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public static Task SubmitAsync(this IExecutor executor, Action function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public static Task SubmitAsync<T1>(this IExecutor executor, Action<T1> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Action<T1, T2> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Action<T1, T2, T3> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync(this IExecutor executor, Func<Task> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync(this IExecutor executor, Func<CancellationToken, Task> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, CancellationToken, Task> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, CancellationToken, Task> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(2)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, Task> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);
}

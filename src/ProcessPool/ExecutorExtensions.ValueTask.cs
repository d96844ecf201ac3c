using System.Runtime.CompilerServices;
using ProcessPool.Invocation;

namespace ProcessPool;

// SubmitAsync for functions that return a ValueTask, with and without TaskOptions. Overload priorities
// keep every call meaning what it meant: an async lambda converts to a Task and a ValueTask delegate alike,
// so the Task shapes rank first (2), then these (1), then the plain Func<TResult> shapes (0), which would
// otherwise take a ValueTask function as a value.
public static partial class ExecutorExtensions
{
    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<ValueTask<TResult>> function, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<CancellationToken, ValueTask<TResult>> function, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync(this IExecutor executor, Func<ValueTask> function, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync(this IExecutor executor, Func<CancellationToken, ValueTask> function, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, CancellationToken, ValueTask> function, T1 arg1, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), null, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), null, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker and returns its result.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<TResult>(this IExecutor executor, Func<CancellationToken, ValueTask<TResult>> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, TResult>(this IExecutor executor, Func<T1, CancellationToken, ValueTask<TResult>> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, TResult>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>The function's result.</returns>
    [OverloadResolutionPriority(1)]
    public static Task<TResult> SubmitAsync<T1, T2, T3, TResult>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, ValueTask<TResult>> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<TResult, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync(this IExecutor executor, Func<ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync(this IExecutor executor, Func<CancellationToken, ValueTask> function, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, NoArguments>(executor, function, default, options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1>(this IExecutor executor, Func<T1, CancellationToken, ValueTask> function, T1 arg1, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1>>(executor, function, new Arguments<T1>(arg1), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2>(this IExecutor executor, Func<T1, T2, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2>>(executor, function, new Arguments<T1, T2>(arg1, arg2), options, cancellationToken);

    /// <summary>Runs the asynchronous, cancellable <paramref name="function"/> (a <see cref="ValueTask"/> function) in a worker; it receives a token cancelled with <paramref name="cancellationToken"/>.</summary>
    /// <param name="executor">The executor that runs it.</param>
    /// <param name="function">The function to run; see <see cref="IExecutor"/> for what it may be.</param>
    /// <param name="arg1">Argument 1 of the function.</param>
    /// <param name="arg2">Argument 2 of the function.</param>
    /// <param name="arg3">Argument 3 of the function.</param>
    /// <param name="options">Timeout, cancellation mode and retries of this task; what it leaves unset comes from the pool's options.</param>
    /// <param name="cancellationToken">Withdraws the task if it has not started; signals it in the worker if it has.</param>
    /// <returns>A task that completes when the function has run.</returns>
    [OverloadResolutionPriority(1)]
    public static Task SubmitAsync<T1, T2, T3>(this IExecutor executor, Func<T1, T2, T3, CancellationToken, ValueTask> function, T1 arg1, T2 arg2, T3 arg3, TaskOptions options, CancellationToken cancellationToken = default)
        => SubmitCore<object?, Arguments<T1, T2, T3>>(executor, function, new Arguments<T1, T2, T3>(arg1, arg2, arg3), options, cancellationToken);
}

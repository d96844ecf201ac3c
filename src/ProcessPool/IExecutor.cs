namespace ProcessPool;

/// <summary>
/// Runs functions somewhere other than the calling thread (in worker processes for
/// <see cref="ProcessPoolExecutor"/>) and returns their results as tasks. The members mirror
/// Python's <c>concurrent.futures.Executor</c>: Submit, Map and Shutdown.
/// </summary>
/// <remarks>
/// <para>
/// This is what a backend implements: one call (<see cref="SubmitAsync{TResult}(WorkItem{TResult}, CancellationToken)"/>),
/// one map over an asynchronous source (<see cref="MapAsync{TItem, TResult}(MapWork{TItem, TResult}, IAsyncEnumerable{TItem}, CancellationToken)"/>)
/// and shutdown. The call shapes users write (<c>SubmitAsync(Maths.Square, 7)</c>, <c>MapAsync</c>,
/// <c>MapUnorderedAsync</c>, blocking <c>Map</c>, with <see cref="TaskOptions"/>, for Task and ValueTask
/// functions) are extension methods in <see cref="ExecutorExtensions"/>, so every backend has them all.
/// </para>
/// <para>
/// Functions may be static methods, lambdas (capturing lambdas ship their captured variables),
/// instance methods of serializable objects and generic methods. Arguments, captured state and results
/// must be serializable; what is not makes the Submit call throw <see cref="PayloadSerializationException"/>.
/// A <see cref="CancellationToken"/> parameter of the function receives a token that is cancelled when
/// the caller's <c>cancellationToken</c> is; a token captured by a lambda becomes that same token.
/// </para>
/// </remarks>
public interface IExecutor : IAsyncDisposable
{
    /// <summary>Runs one work item and returns its result.</summary>
    /// <typeparam name="TResult">The type of the function's result.</typeparam>
    /// <param name="workItem">The function, its arguments and options.</param>
    /// <param name="cancellationToken">
    /// Withdraws the call if it has not started; signals it if it has. When it cannot be cancelled, an
    /// argument that is a <see cref="CancellationToken"/> serves instead.
    /// </param>
    /// <returns>The function's result.</returns>
    Task<TResult> SubmitAsync<TResult>(WorkItem<TResult> workItem, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies a function to each item of <paramref name="source"/> and yields the results, in input
    /// order or as they complete (<see cref="MapWork{TItem, TResult}.Ordered"/>). Lazy and bounded: the
    /// source is read only a window ahead of the consumer. When the consumer stops early or an item
    /// fails, what has not started is cancelled; a failed item's exception is thrown when its turn comes.
    /// </summary>
    /// <typeparam name="TItem">The type of the source's items.</typeparam>
    /// <typeparam name="TResult">The type of the function's results.</typeparam>
    /// <param name="work">The function, the order of results and the options.</param>
    /// <param name="source">The items.</param>
    /// <param name="cancellationToken">Stops the map and cancels what has not finished.</param>
    /// <returns>The results.</returns>
    IAsyncEnumerable<TResult> MapAsync<TItem, TResult>(MapWork<TItem, TResult> work, IAsyncEnumerable<TItem> source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops accepting work, with Python's semantics. Work already submitted still runs unless
    /// <paramref name="cancelPending"/> cancels what has not started; then the workers exit.
    /// Submitting afterwards throws <see cref="ObjectDisposedException"/>. A map running at the time
    /// yields the results of the items it had submitted, in order for <c>MapAsync</c>, then ends with an
    /// <see cref="ObjectDisposedException"/> that says the pool was shut down and how many items were not run.
    /// </summary>
    /// <param name="wait">When true, the returned task completes once all work has ended and the workers have exited; when false, at once.</param>
    /// <param name="cancelPending">When true, tasks that have not been sent to a worker end as cancelled.</param>
    /// <returns>A task that completes as <paramref name="wait"/> says.</returns>
    Task ShutdownAsync(bool wait = true, bool cancelPending = false);

    /// <summary>
    /// Shuts down within a deadline: running work may finish for up to <paramref name="timeout"/>; then
    /// what is left is cancelled (queued tasks end cancelled, running ones have their token signalled)
    /// and, after <see cref="ProcessPoolOptions.KillGracePeriod"/>, the workers still busy are killed and
    /// their tasks end cancelled. The task completes when every worker has exited.
    /// </summary>
    /// <param name="timeout">How long running work may go on; <see cref="Timeout.InfiniteTimeSpan"/> waits for it.</param>
    /// <param name="cancelPending">When true, tasks that have not been sent to a worker end as cancelled at once.</param>
    /// <returns>A task that completes when every worker has exited.</returns>
    Task ShutdownAsync(TimeSpan timeout, bool cancelPending = false);
}

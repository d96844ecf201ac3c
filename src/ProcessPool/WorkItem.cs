using ProcessPool.Invocation;

namespace ProcessPool;

/// <summary>
/// One call to run: a function, its arguments and its <see cref="TaskOptions"/>. The methods of
/// <see cref="ExecutorExtensions"/> build work items from the call shapes users write, and a backend
/// (an <see cref="IExecutor"/>) runs them with <see cref="IExecutor.SubmitAsync{TResult}(WorkItem{TResult}, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// The function's parameters are the <see cref="ArgumentCount"/> arguments in order, then, when it has
/// one parameter more, a <see cref="CancellationToken"/> that receives the call's token. An argument
/// that is itself a <see cref="CancellationToken"/> stands for the call's token too (the pool never
/// sends it). The function returns <typeparamref name="TResult"/>, a <see cref="Task{TResult}"/> or a
/// <see cref="ValueTask{TResult}"/> of it, which the backend awaits; with <typeparamref name="TResult"/>
/// <see cref="object"/>, it may also return nothing, a <see cref="Task"/> or a <see cref="ValueTask"/>,
/// and the result is <see langword="null"/>.
/// </remarks>
/// <typeparam name="TResult">The type of the function's result.</typeparam>
public abstract class WorkItem<TResult>
{
    // Only this assembly derives work items: the pool reads the arguments through their generic struct, unboxed.
    private protected WorkItem(Delegate function, TaskOptions? options)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        Options = options;
    }

    /// <summary>The function to run.</summary>
    public Delegate Function { get; }

    /// <summary>Timeout, cancellation mode and retries of this call; <see langword="null"/> for the backend's defaults.</summary>
    public TaskOptions? Options { get; }

    /// <summary>How many arguments the function is given (not counting a trailing <see cref="CancellationToken"/> parameter).</summary>
    public abstract int ArgumentCount { get; }

    /// <summary>Argument <paramref name="index"/> (from 0), boxed: for backends that pass arguments as objects.</summary>
    /// <param name="index">From 0 to <see cref="ArgumentCount"/> - 1.</param>
    /// <returns>The argument.</returns>
    public abstract object? GetArgument(int index);

    /// <summary>Submits this item to the pool with its arguments' own type, so nothing is boxed.</summary>
    internal abstract Task<TResult> SubmitTo(ProcessPoolExecutor pool, CancellationToken cancellationToken);
}

/// <summary>A <see cref="WorkItem{TResult}"/> whose arguments are a generic struct.</summary>
internal sealed class WorkItem<TResult, TArgs>(Delegate function, TArgs arguments, TaskOptions? options) : WorkItem<TResult>(function, options)
    where TArgs : struct, IArgumentWriter
{
    public override int ArgumentCount => arguments.Count;

    public override object? GetArgument(int index) => arguments.Get(index);

    internal override Task<TResult> SubmitTo(ProcessPoolExecutor pool, CancellationToken cancellationToken)
        => pool.Submit<TResult, TArgs>(Function, arguments, Options, cancellationToken);
}

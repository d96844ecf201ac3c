using System.Reflection;
using System.Runtime.CompilerServices;

namespace ProcessPool.Tests.Support;

/// <summary>
/// A backend as another assembly would write one: it implements only IExecutor's core, with nothing
/// but the public API, and runs each function on the calling thread. Every call shape of
/// ExecutorExtensions reaches it. It records the delegate type of each call, so tests see which shape bound.
/// </summary>
internal sealed class InProcessExecutor : IExecutor
{
    public List<Type> Bound { get; } = [];

    public List<TaskOptions?> Options { get; } = [];

    public List<(bool Ordered, MapOptions? Options)> Maps { get; } = [];

    public bool IsShutdown { get; private set; }

    public async Task<TResult> SubmitAsync<TResult>(WorkItem<TResult> workItem, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsShutdown, this);
        Bound.Add(workItem.Function.GetType());
        Options.Add(workItem.Options);
        var arguments = Enumerable.Range(0, workItem.ArgumentCount).Select(workItem.GetArgument).ToList();
        return (TResult)(await InvokeAsync(workItem.Function, arguments, cancellationToken))!;
    }

    public async IAsyncEnumerable<TResult> MapAsync<TItem, TResult>(MapWork<TItem, TResult> work, IAsyncEnumerable<TItem> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsShutdown, this);
        Bound.Add(work.Function.GetType());
        Maps.Add((work.Ordered, work.Options));
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            var arguments = Enumerable.Range(0, work.ArgumentCount).Select(i => work.GetArgument(item, i)).ToList();
            yield return (TResult)(await InvokeAsync(work.Function, arguments, cancellationToken))!;
        }
    }

    public Task ShutdownAsync(bool wait = true, bool cancelPending = false)
    {
        IsShutdown = true;
        return Task.CompletedTask;
    }

    public Task ShutdownAsync(TimeSpan timeout, bool cancelPending = false) => ShutdownAsync();

    public ValueTask DisposeAsync()
    {
        IsShutdown = true;
        return ValueTask.CompletedTask;
    }

    /// <summary>Calls the function with its arguments (tokens are the call's), awaiting a returned task.</summary>
    private static async Task<object?> InvokeAsync(Delegate function, List<object?> arguments, CancellationToken cancellationToken)
    {
        var invoke = function.GetType().GetMethod("Invoke")!;
        if (invoke.GetParameters().Length > arguments.Count)
        {
            arguments.Add(cancellationToken);
        }

        var values = arguments.Select(a => a is CancellationToken ? cancellationToken : a).ToArray();
        object? returned = function.DynamicInvoke(values);
        var type = invoke.ReturnType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            returned = type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null);
            type = typeof(Task<>).MakeGenericType(type.GetGenericArguments());
        }

        switch (returned)
        {
            case Task task:
                await task;
                return type.IsGenericType ? type.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            default:
                return returned;
        }
    }
}

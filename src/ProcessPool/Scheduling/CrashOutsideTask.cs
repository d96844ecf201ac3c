using ProcessPool.Serialization;
using ProcessPool.Protocol;

namespace ProcessPool.Scheduling;

/// <summary>
/// A worker's death of an exception thrown outside any call, as the worker reported it just before
/// dying (<see cref="UnhandledMessage"/>): on the finalizer thread, a thread or timer something
/// started, an async void method. The call that was running is not blamed for it: it runs again
/// elsewhere, unless workers keep dying this way under it, as they would if it starts the thread that throws.
/// </summary>
internal sealed class CrashOutsideTask(UnhandledMessage report, ISet<Type> allowedTypes)
{
    /// <summary>How many workers may crash this way while running one call before the call fails.</summary>
    public const int MaxPerCall = 2;

    /// <summary>The thread that threw, as the worker described it.</summary>
    public string Thread => report.Thread;

    /// <summary>The exception, rebuilt as a task's exception would be.</summary>
    public Exception Exception { get; } = RemoteExceptionFactory.Create(report.Exception, allowedTypes);

    private string What => $"an unhandled {report.Exception.TypeName.Split(',')[0]} on {report.Thread}: {report.Exception.Message.TrimEnd('.')}";

    /// <summary>What the crash report of the call says about the cause.</summary>
    public string Cause(bool repeated) => repeated
        ? $"it crashed outside the task, with {What}; workers crashed this way {MaxPerCall} times while running this task, so it is not run again (a thread, timer, async void method or finalizer of its own probably throws)"
        : $"it crashed outside the task, with {What}";

    /// <summary>The line the pool adds to the worker's output: the crash is reported even when no task fails for it.</summary>
    public string Note(Call? running, CrashOutcome outcome)
    {
        string crashed = $"ProcessPool: this worker crashed outside any task, with {What}.";
        return (running, outcome) switch
        {
            (null, _) => crashed,
            (_, CrashOutcome.Retried) => $"{crashed} The task it was running ({running.Function.Name}) is not blamed for it and runs again on another worker.",
            (_, CrashOutcome.CrashedOutsideTaskAgain) => $"{crashed} Workers crashed this way {MaxPerCall} times while running {running.Function.Name}, so that task fails with WorkerCrashedException.",
            _ => crashed,
        };
    }
}

using System.Diagnostics;
using System.Reflection;
using ProcessPool.Protocol;

namespace ProcessPool.WorkerHost;

/// <summary>
/// Reports an exception that no code caught, on a thread other than the one running calls (a finalizer,
/// a thread, timer or async void method user code started), while the runtime is ending the worker for
/// it. Every call's own exceptions are caught by the worker loop, so such a crash is not the running
/// call's doing, and the parent must be told before the process is gone.
/// </summary>
internal static class UnhandledExceptions
{
    /// <summary>Sends each unhandled exception with <paramref name="send"/>, which must have written it out when it returns.</summary>
    public static void ReportWith(Action<UnhandledMessage> send) =>
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            var exception = e.ExceptionObject as Exception ?? new InvalidOperationException($"A non-exception object was thrown: {e.ExceptionObject}");
            try
            {
                send(new UnhandledMessage(Describe(Thread.CurrentThread, exception), Capture(exception)));
            }
            catch (Exception)
            {
                // The process is ending either way; the parent still sees the crash, only not its cause.
            }
        };

    // With its state when it can be had (its fields, data, inner exceptions); the process is ending, so
    // anything that goes wrong on the way falls back to type, message and stack.
    private static ExceptionInfo Capture(Exception exception)
    {
        try
        {
            return Serialization.ExceptionState.Capture(exception, Serialization.PayloadContext.ProcessWide); // the worker's list, arrays inline
        }
        catch (Exception)
        {
            return ExceptionInfo.From(exception);
        }
    }

    /// <summary>The thread an unhandled exception was thrown on, as a person would name it.</summary>
    public static string Describe(Thread thread, Exception exception)
    {
        string id = $"managed thread {thread.ManagedThreadId}";
        if (thread.IsThreadPoolThread)
        {
            return $"a thread-pool thread ({id}: a timer callback, an async void method or a queued work item)";
        }

        if (FinalizerOf(exception) is { } finalizer)
        {
            return $"the finalizer thread ({id}, in the finalizer of {finalizer.DeclaringType})";
        }

        return thread.Name is { Length: > 0 } name ? $"thread '{name}' ({id})" : $"an unnamed thread ({id})";
    }

    /// <summary>
    /// The finalizer that threw <paramref name="exception"/>, if a finalizer did. The runtime does not name
    /// its finalizer thread, so the exception's own frames tell: a <c>Finalize</c> method called by the
    /// runtime (the outermost frame is <c>GC.RunFinalizers</c>, or the finalizer itself on older runtimes).
    /// </summary>
    private static MethodBase? FinalizerOf(Exception exception)
    {
        var methods = new StackTrace(exception).GetFrames().Select(f => f.GetMethod()).ToList();
        var finalizer = methods.LastOrDefault(m => m is { Name: "Finalize" } && m.GetParameters().Length == 0);
        return finalizer is not null && methods[^1] is { } outermost && (outermost == finalizer || outermost.DeclaringType == typeof(GC)) ? finalizer : null;
    }
}

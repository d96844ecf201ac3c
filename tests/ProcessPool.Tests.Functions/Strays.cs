using System.Runtime.CompilerServices;

namespace ProcessPool.Tests.Functions;

/// <summary>
/// Code that crashes its worker from outside the call that runs it: a finalizer that throws, a thread
/// that throws. The runtime ends the process on such an exception, whichever call happens to be running.
/// </summary>
public static class Strays
{
    /// <summary>Leaves an object whose finalizer throws for a later collection to find; returns the pid.</summary>
    public static int LeaveThrowingFinalizer(int ignored)
    {
        Abandon();
        return Environment.ProcessId;
    }

    /// <summary>Collects garbage and waits for the finalizers it queued; returns the pid.</summary>
    public static int CollectGarbage(int ignored)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Environment.ProcessId;
    }

    /// <summary>Makes an object whose finalizer throws and has it finalized, all in this call.</summary>
    public static int FinalizeThrowingObjectNow(int ignored)
    {
        Abandon();
        return CollectGarbage(ignored);
    }

    /// <summary>Starts a thread named <paramref name="name"/> that throws, and waits for it.</summary>
    public static int ThrowOnThread(string name)
    {
        var thread = new Thread(() => throw new InvalidOperationException($"thrown on {name}")) { Name = name };
        thread.Start();
        thread.Join();
        return Environment.ProcessId;
    }

    /// <summary>Raises the unhandled-exception event without dying of it (as hosting code may), then returns.</summary>
    public static int RaiseUnhandledEventAndGoOn(int ignored)
    {
        System.Runtime.ExceptionServices.ExceptionHandling.RaiseAppDomainUnhandledExceptionEvent(new InvalidOperationException("reported, survived"));
        return Environment.ProcessId;
    }

    /// <summary>Appends a line to <paramref name="countFile"/> (one per run), then crashes the worker.</summary>
    public static int CountThenFailFast(string countFile)
    {
        File.AppendAllText(countFile, "run\n");
        Environment.FailFast("the task's own crash");
        return 0;
    }

    /// <summary>Appends a line to <paramref name="countFile"/> (one per run), then throws an exception whose Message throws.</summary>
    public static int CountThenThrowUnreadable(string countFile)
    {
        File.AppendAllText(countFile, "run\n");
        throw new UnreadableMessageException();
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // so that nothing of this frame keeps the object reachable
    private static void Abandon() => _ = new ThrowsWhenFinalized();
}

public sealed class ThrowsWhenFinalized
{
#pragma warning disable CA1065, CA1821 // a finalizer that only throws is the point: it crashes the process
    ~ThrowsWhenFinalized() => throw new InvalidOperationException("thrown by a finalizer");
#pragma warning restore CA1065, CA1821
}

/// <summary>An exception whose own code fails when its message is asked for.</summary>
public sealed class UnreadableMessageException : Exception
{
#pragma warning disable CA1065 // throwing from the getter is the point
    public override string Message => throw new InvalidOperationException("no message for you");
#pragma warning restore CA1065
}

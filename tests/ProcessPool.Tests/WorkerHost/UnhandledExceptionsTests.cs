using ProcessPool.WorkerHost;

namespace ProcessPool.Tests.WorkerHost;

/// <summary>How a worker names the thread an unhandled exception came from, in its report to the parent (the finalizer case runs in <c>Scheduling/CrashTests</c>: it needs a real finalizer).</summary>
public sealed class UnhandledExceptionsTests
{
    [Fact]
    public void A_named_thread_is_given_by_name_and_id()
    {
        string description = "";
        var thread = new Thread(() => description = UnhandledExceptions.Describe(Thread.CurrentThread, Thrown())) { Name = "poller" };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)));
        Assert.Equal($"thread 'poller' (managed thread {thread.ManagedThreadId})", description);
    }

    [Fact]
    public async Task A_thread_pool_thread_names_what_runs_there()
    {
        string description = await Task.Run(() => UnhandledExceptions.Describe(Thread.CurrentThread, Thrown()));
        Assert.StartsWith("a thread-pool thread (managed thread ", description, StringComparison.Ordinal);
        Assert.Contains("timer callback, an async void method", description, StringComparison.Ordinal);
    }

    private static InvalidOperationException Thrown()
    {
        try
        {
            throw new InvalidOperationException("stray");
        }
        catch (InvalidOperationException e)
        {
            return e;
        }
    }
}

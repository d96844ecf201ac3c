using Microsoft.Extensions.Time.Testing;
using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling.Fakes;

/// <summary>
/// A scheduler over <see cref="FakeWorkers"/> and a <see cref="FakeTimeProvider"/>: deadlines,
/// back-offs and grace periods pass when the test advances the clock, and workers answer when the
/// test says so. Each test runs in milliseconds.
/// </summary>
internal sealed class FakePool : IAsyncDisposable
{
    private static readonly PreparedCall Function = CallPreparer.PrepareTarget(static () => 0, PayloadContext.ProcessWide);

    private readonly CallPolicy _policy;

    public FakePool(Action<ProcessPoolOptions>? configure = null)
    {
        Options = new ProcessPoolOptions { MaxWorkers = 2, CancelOnCtrlC = false };
        configure?.Invoke(Options);
        _policy = CallPolicy.ForPool(Options);
        Scheduler = new Scheduler(Options, Workers, Time);
    }

    public ProcessPoolOptions Options { get; }

    public FakeTimeProvider Time { get; } = new();

    public FakeWorkers Workers { get; } = new();

    public Scheduler Scheduler { get; }

    /// <summary>Submits a call whose result is an int; the test's fake worker supplies it.</summary>
    public Task<int> Submit(TaskOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = new SingleCall<int>(Function, _policy.With(options), cancellationToken);
        Scheduler.Enqueue(call);
        return call.Task;
    }

    /// <summary>Advances the fake clock; timers due by then fire on this thread.</summary>
    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Waits (bounded, in real time) for something the scheduler does on another thread.</summary>
    public static Task Until(Func<bool> condition, string what) => Eventually.TrueAsync(condition, what);

    public async ValueTask DisposeAsync()
    {
        var closed = Scheduler.Abort(AbortMode.Kill);
        await PassTimeUntil(closed);
        Assert.True(Workers.Disposed, "the pool's directory was not released");
    }

    /// <summary>Advances the fake clock in steps past every grace period until <paramref name="task"/> completes (bounded in real time).</summary>
    public async Task PassTimeUntil(Task task)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!task.IsCompleted)
        {
            Assert.True(watch.Elapsed < Bounded.Timeout, "the task did not complete as time passed");
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(1);
        }

        await task;
    }
}

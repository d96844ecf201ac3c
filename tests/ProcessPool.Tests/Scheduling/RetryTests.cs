using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Retry policies with real worker processes. On fake workers and a fake clock: <see
/// cref="OutcomesTests"/>.
/// </summary>
public sealed class RetryTests : IDisposable
{
    private static readonly RetryPolicy Quick = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(10) };
    private readonly string _directory = Directory.CreateTempSubdirectory("pp-retry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_task_whose_worker_crashes_runs_again_with_a_retry_policy()
    {
        await using var pool = Pools.Create(workers: 1);
        string marker = Path.Combine(_directory, "once");
        Assert.Equal(49, await pool.SubmitAsync(Runaway.CrashOnceThenSquare, marker, 7, new TaskOptions { RetryPolicy = Quick }).Within());
    }

    [Fact]
    public async Task Without_a_retry_policy_the_crash_fails_the_task()
    {
        await using var pool = Pools.Create(workers: 1);
        string marker = Path.Combine(_directory, "once");
        await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Runaway.CrashOnceThenSquare, marker, 7).Within());
    }

    [Fact]
    public async Task When_every_attempt_crashes_the_final_exception_keeps_the_earlier_crashes()
    {
        await using var pool = Pools.Create(workers: 1, o => o.RetryPolicy = Quick);
        string log = Path.Combine(_directory, "log");
        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Runaway.CountAttemptThenCrash, log).Within());

        Assert.Equal(3, File.ReadAllLines(log).Length);
        Assert.Equal(2, error.PreviousAttempts.Count);
        Assert.All(error.PreviousAttempts, e => Assert.Equal(9, Assert.IsType<WorkerCrashedException>(e).Signal));
        Assert.NotEqual(error.ProcessId, ((WorkerCrashedException)error.PreviousAttempts[0]).ProcessId);
    }

    [Fact]
    public async Task The_tasks_own_exceptions_are_not_retried_unless_the_policy_asks()
    {
        await using var pool = Pools.Create(workers: 1, o => o.RetryPolicy = Quick);
        string log = Path.Combine(_directory, "log");
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SubmitAsync(Runaway.CountAttemptThenThrow, log).Within());
        Assert.Single(File.ReadAllLines(log));

        string log2 = Path.Combine(_directory, "log2");
        var asking = new TaskOptions { RetryPolicy = new RetryPolicy { MaxAttempts = 4, InitialDelay = TimeSpan.Zero, RetryOnException = e => e is InvalidOperationException } };
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.SubmitAsync(Runaway.CountAttemptThenThrow, log2, asking).Within());
        Assert.Equal(4, File.ReadAllLines(log2).Length);
    }

    [Fact]
    public async Task A_map_whose_items_crash_once_completes_with_every_result_with_retries()
    {
        await using var pool = Pools.Create(workers: 2);
        var items = Enumerable.Range(0, 20).ToList();
        var options = new MapOptions { ChunkSize = 1, RetryPolicy = Quick };
        var results = await pool.MapAsync(i => Runaway.CrashOnceThenSquare(Path.Combine(_directory, $"item{i}"), i), items, options).ToListWithin();
        Assert.Equal(items.Select(i => i * i), results);
    }

    [Fact]
    public async Task Cancelling_a_task_that_waits_to_be_retried_ends_it_cancelled()
    {
        await using var pool = Pools.Create(workers: 1);
        string log = Path.Combine(_directory, "log");
        using var cts = new CancellationTokenSource();
        var slow = new TaskOptions { RetryPolicy = new RetryPolicy { MaxAttempts = 5, InitialDelay = TimeSpan.FromMinutes(10), MaxDelay = TimeSpan.FromMinutes(10) } };
        var task = pool.SubmitAsync(Runaway.CountAttemptThenCrash, log, slow, cts.Token);
        // The crashed worker leaves the pool's list under the lock that decides the retry.
        await Eventually.TrueAsync(() => File.Exists(log) && File.ReadAllText(log).Trim() is { Length: > 0 } pid && pool.Workers.All(w => w.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) != pid), "the first attempt's crash");

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.Within());
        Assert.Single(File.ReadAllLines(log));
    }

    [Fact]
    public void The_back_off_grows_up_to_its_limit()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), BackoffMultiplier = 3, MaxDelay = TimeSpan.FromSeconds(1) };
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.DelayBefore(2));
        Assert.Equal(TimeSpan.FromMilliseconds(300), policy.DelayBefore(3));
        Assert.Equal(TimeSpan.FromMilliseconds(900), policy.DelayBefore(4));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(5));
    }
}

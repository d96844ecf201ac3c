using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// A worker killed by an exception thrown outside any task (a finalizer, a thread of its own) does not
/// have the crash blamed on the task it happened to be running: that task runs again elsewhere, and
/// the crash is reported. A task under which workers keep crashing this way fails, naming the cause.
/// </summary>
public sealed class CrashOutsideTaskTests
{
    [Fact]
    public async Task A_finalizer_that_throws_during_an_innocent_task_is_reported_and_the_task_succeeds_on_a_replacement()
    {
        var output = new StringWriter();
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = output);
        int first = await pool.SubmitAsync(Strays.LeaveThrowingFinalizer, 0).Within();

        int second = await pool.SubmitAsync(Strays.CollectGarbage, 0).Within(); // runs the finalizer, which kills the worker

        Assert.NotEqual(first, second);
        Assert.True(await Processes.WaitUntilGoneAsync([first], Bounded.Timeout));

        // With one worker the task ran again only on the replacement, which starts after the report is written.
        string report;
        lock (output)
        {
            report = output.ToString();
        }

        Assert.Contains("crashed outside any task, with an unhandled System.InvalidOperationException on the finalizer thread", report, StringComparison.Ordinal);
        Assert.Contains("ThrowsWhenFinalized", report, StringComparison.Ordinal);
        Assert.Contains("thrown by a finalizer", report, StringComparison.Ordinal);
        Assert.Contains("The task it was running (Strays.CollectGarbage) is not blamed for it and runs again on another worker.", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_whose_own_thread_throws_every_time_fails_after_two_crashes_naming_the_thread_and_its_exception()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Strays.ThrowOnThread, "stray-thread").Within());

        Assert.Contains("thread 'stray-thread'", crash.UnhandledExceptionThread, StringComparison.Ordinal);
        var thrown = Assert.IsType<InvalidOperationException>(crash.UnhandledException);
        Assert.Equal("thrown on stray-thread", thrown.Message);
        Assert.Contains("ThrowOnThread", thrown.StackTrace, StringComparison.Ordinal); // the worker's stack
        Assert.Contains("crashed outside the task, with an unhandled System.InvalidOperationException on thread 'stray-thread'", crash.Message, StringComparison.Ordinal);
        Assert.Contains("thrown on stray-thread", crash.Message, StringComparison.Ordinal);
        Assert.Contains("workers crashed this way 2 times while running this task, so it is not run again", crash.Message, StringComparison.Ordinal);
        var earlier = Assert.IsType<WorkerCrashedException>(Assert.Single(crash.PreviousAttempts));
        Assert.NotEqual(crash.ProcessId, earlier.ProcessId); // it ran on two workers
        Assert.Equal(16, await pool.SubmitAsync(Maths.Square, 4).Within());
    }

    [Fact]
    public async Task A_task_that_finalizes_its_own_throwing_object_fails_after_two_crashes_naming_the_finalizer()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Strays.FinalizeThrowingObjectNow, 0).Within());

        Assert.StartsWith("the finalizer thread", crash.UnhandledExceptionThread, StringComparison.Ordinal);
        Assert.Equal("thrown by a finalizer", Assert.IsType<InvalidOperationException>(crash.UnhandledException).Message);
        Assert.Contains("crashed outside the task", crash.Message, StringComparison.Ordinal);
        Assert.Single(crash.PreviousAttempts);
    }

    [Fact]
    public async Task Tasks_queued_behind_a_crash_outside_any_task_complete_and_keep_their_order_in_a_map()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);
        await pool.SubmitAsync(Strays.LeaveThrowingFinalizer, 0).Within();

        // The first item runs the finalizer; it and the items behind it finish on the replacement.
        var pids = await pool.MapAsync(Strays.CollectGarbage, Enumerable.Range(0, 20), new MapOptions { ChunkSize = 1 }).ToListWithin();

        Assert.Equal(20, pids.Count);
        Assert.Single(pids.Distinct());
    }

    [Fact]
    public async Task A_report_the_worker_survived_does_not_excuse_a_later_crash_the_task_caused()
    {
        string countFile = Path.Combine(Path.GetTempPath(), $"pp-count-{Guid.NewGuid():N}");
        try
        {
            await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);
            await pool.SubmitAsync(Strays.RaiseUnhandledEventAndGoOn, 0).Within();
            await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Strays.CountThenFailFast, countFile).Within());
            Assert.Single(File.ReadAllLines(countFile)); // blamed at once, not run again as an innocent
        }
        finally
        {
            File.Delete(countFile);
        }
    }

    [Fact]
    public async Task An_exception_whose_message_throws_fails_its_task_once_and_the_worker_serves_on()
    {
        string countFile = Path.Combine(Path.GetTempPath(), $"pp-count-{Guid.NewGuid():N}");
        try
        {
            await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);
            int pid = await pool.SubmitAsync(Maths.ProcessId).Within();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => pool.SubmitAsync(Strays.CountThenThrowUnreadable, countFile).Within());
            Assert.IsNotType<WorkerCrashedException>(error);
            Assert.Single(File.ReadAllLines(countFile));
            Assert.Equal(pid, await pool.SubmitAsync(Maths.ProcessId).Within());
        }
        finally
        {
            File.Delete(countFile);
        }
    }
}

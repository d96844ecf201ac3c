using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// Workers that crash, with real worker processes: only the task that caused the crash fails, with a
/// report of how the worker died, and the pool goes on. How calls end when their worker dies, on fake
/// workers: <see cref="OutcomesTests"/>.
/// </summary>
public sealed class CrashTests
{
    [Fact]
    public async Task FailFast_fails_only_its_task_with_the_crash_report()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);
        int firstPid = await pool.SubmitAsync(Maths.ProcessId).Within();

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Misbehaving.FailFast, "fatal in test").Within());
        Assert.Equal(firstPid, crash.ProcessId);
        Assert.Equal(6, crash.Signal); // SIGABRT
        Assert.Contains("fatal in test", crash.StandardErrorTail, StringComparison.Ordinal);

        int secondPid = await pool.SubmitAsync(Maths.ProcessId).Within();
        Assert.NotEqual(firstPid, secondPid);
        Assert.False(Processes.IsAlive(firstPid));
    }

    [Fact]
    public async Task Environment_Exit_inside_a_task_reports_the_exit_code()
    {
        await using var pool = Pools.Create(workers: 1);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Misbehaving.Exit, 7).Within());
        Assert.Equal(7, crash.ExitCode);
        Assert.Null(crash.Signal);
        Assert.Equal(9, await pool.SubmitAsync(Maths.Square, 3).Within());
    }

    [Fact]
    public async Task A_worker_killed_with_SIGKILL_reports_signal_9()
    {
        await using var pool = Pools.Create(workers: 1);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Misbehaving.KillSelf, 0).Within());
        Assert.Equal(9, crash.Signal);
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within());
    }

    [Fact]
    public async Task Results_a_worker_finished_just_before_it_was_killed_are_delivered_and_only_the_killing_task_fails()
    {
        // One worker, a window full of tiny calls: the replies before the kill sit in the worker's reply
        // ring, maybe unread when it dies; each must be delivered, and the crash blamed on the right call.
        await using var pool = Pools.Create(workers: 1);
        await pool.SubmitAsync(Maths.Square, 1).Within(); // a warm worker, whose window opens wide
        var before = Enumerable.Range(0, 200).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();
        var killing = pool.SubmitAsync(Misbehaving.KillSelf, 0);
        var after = Enumerable.Range(0, 50).Select(i => pool.SubmitAsync(Maths.Square, i)).ToList();

        Assert.Equal(Enumerable.Range(0, 200).Select(i => i * i), await Task.WhenAll(before).Within());
        Assert.Equal(9, (await Assert.ThrowsAsync<WorkerCrashedException>(() => killing.Within())).Signal);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => i * i), await Task.WhenAll(after).Within());
    }

    [Fact]
    public async Task A_stack_overflow_takes_down_one_worker_not_the_application()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);
        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Misbehaving.StackOverflow, 0).Within());
        Assert.Contains("Stack overflow", crash.StandardErrorTail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(25, await pool.SubmitAsync(Maths.Square, 5).Within());
    }

    [Fact]
    public async Task Tasks_queued_behind_a_crashing_task_go_to_another_worker_and_complete()
    {
        await using var pool = Pools.Create(workers: 1);
        var crashing = pool.SubmitAsync(Misbehaving.Exit, 3);
        var others = Enumerable.Range(1, 20).Select(i => pool.SubmitAsync(Maths.Square, i)).ToArray();

        await Assert.ThrowsAsync<WorkerCrashedException>(() => crashing.Within());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * i), await Task.WhenAll(others).Within());
    }

    [Fact]
    public async Task A_worker_killed_from_outside_fails_its_running_task_and_is_replaced()
    {
        await using var pool = Pools.Create(workers: 2);
        using var signal = new TestSignal();
        var victim = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        int pid = await signal.WaitForStartAsync();

        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var crash = await Assert.ThrowsAsync<WorkerCrashedException>(() => victim.Within());
        Assert.Equal(pid, crash.ProcessId);
        Assert.Equal(9, crash.Signal);
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => pool.SubmitAsync(Maths.Square, i))).Within();
        Assert.Equal(81, results[9]);
        Assert.DoesNotContain(pool.Workers, w => w.ProcessId == pid);
    }

    [Fact]
    public async Task Crashes_during_a_map_fail_only_the_chunk_that_was_running()
    {
        await using var pool = Pools.Create(workers: 2);
        var options = new MapOptions { ChunkSize = 1 };
        var results = new List<int>();
        var error = await Assert.ThrowsAsync<WorkerCrashedException>(async () =>
        {
            await foreach (int r in pool.MapAsync(x => x == 5 ? Misbehaving.Exit(1) : x, Enumerable.Range(0, 10), options))
            {
                results.Add(r);
            }
        });
        Assert.Equal(1, error.ExitCode);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, results);
    }

    [Fact]
    public async Task Under_a_mix_of_crashes_failures_and_cancellations_every_task_ends_once_with_its_own_outcome()
    {
        await using var pool = Pools.Create(workers: 3, o => o.WorkerOutput = TextWriter.Null);
        var random = new Random(7);
        var tasks = new List<(string Kind, int Input, Task<int> Task)>();
        var sources = new List<CancellationTokenSource>();
        for (int i = 0; i < 800; i++)
        {
            int roll = random.Next(100);
            if (roll < 2)
            {
                tasks.Add(("crash", i, pool.SubmitAsync(Misbehaving.Exit, 3)));
            }
            else if (roll < 10)
            {
                var cts = new CancellationTokenSource();
                sources.Add(cts);
                tasks.Add(("cancel", i, pool.SubmitAsync(Maths.Square, i, cts.Token)));
                await cts.CancelAsync();
            }
            else if (roll < 15)
            {
                tasks.Add(("throw", i, pool.SubmitAsync(Misbehaving.ThrowInvalidOperation, "x")));
            }
            else
            {
                tasks.Add(("square", i, pool.SubmitAsync(Maths.Square, i)));
            }
        }

        await Task.WhenAll(tasks.Select(t => t.Task)).ContinueWith(_ => { }, TaskScheduler.Default).Within();
        foreach (var (kind, input, task) in tasks)
        {
            switch (kind)
            {
                case "crash":
                    Assert.IsType<WorkerCrashedException>(task.Exception?.InnerException);
                    break;
                case "cancel":
                    Assert.True(task.IsCanceled || await task == input * input, $"task {input}: {task.Status}");
                    break;
                case "throw":
                    Assert.IsType<InvalidOperationException>(task.Exception?.InnerException);
                    break;
                default:
                    Assert.True(task.IsCompletedSuccessfully, $"task {input} ended {task.Status}: {task.Exception?.InnerException?.Message}");
                    Assert.Equal(input * input, await task);
                    break;
            }
        }

        sources.ForEach(s => s.Dispose());
    }

    // Crashes below .NET, and out of memory (formerly CrashKindTests).
    [Fact]
    public async Task A_native_segfault_fails_its_task_with_WorkerCrashedException_and_the_pool_goes_on()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Runaway.Segfault, 0).Within());
        Assert.True(error.Signal is 11 or 6, $"expected SIGSEGV or the runtime's abort, got {error.Message}");
        Assert.Equal(9, await pool.SubmitAsync(Maths.Square, 3).Within());
    }

    [Fact]
    public async Task A_worker_that_corrupts_its_channel_fails_its_task_with_ProtocolException_and_is_replaced()
    {
        await using var pool = Pools.Create(workers: 1);
        var error = await Assert.ThrowsAsync<ProtocolException>(() => pool.SubmitAsync(Runaway.CorruptChannel, 0).Within());
        Assert.Contains("malformed", error.Message);
        Assert.Equal(25, await pool.SubmitAsync(Maths.Square, 5).Within());
    }

    [Fact]
    public async Task Allocating_until_out_of_memory_under_a_heap_cap_fails_only_that_task()
    {
        await using var pool = Pools.Create(workers: 1, o => o.EnvironmentVariables["DOTNET_GCHeapHardLimit"] = "0x8000000"); // 128 MiB
        var error = await Assert.ThrowsAnyAsync<Exception>(() => pool.SubmitAsync(Runaway.AllocateUntilOutOfMemory, 0).Within());
        Assert.True(error is OutOfMemoryException or WorkerCrashedException, $"unexpected {error.GetType()}: {error.Message}");
        Assert.Equal(16, await pool.SubmitAsync(Maths.Square, 4).Within());
    }

    // A worker killed by an exception thrown outside any task (a finalizer, a thread of its own) does not
    // have the crash blamed on the task it happened to be running: that task runs again elsewhere, and
    // the crash is reported. A task under which workers keep crashing this way fails, naming the cause.
    // (Formerly CrashOutsideTaskTests.)

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

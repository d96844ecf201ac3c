using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

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
}

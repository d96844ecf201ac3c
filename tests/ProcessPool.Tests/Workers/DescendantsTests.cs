using System.Diagnostics;
using System.Globalization;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Workers;

/// <summary>
/// <see cref="ProcessPoolOptions.KillWorkerDescendants"/>: the processes a task starts do not outlive its
/// worker, however the worker ends. Each test kills whatever it started in its cleanup, so that a
/// failure leaves no <c>sleep</c> behind.
/// </summary>
public sealed class DescendantsTests : IDisposable
{
    private readonly List<int> _started = [];
    private readonly string _pidFile = Path.GetTempFileName();

    public void Dispose()
    {
        foreach (int pid in _started.Where(Processes.IsAlive))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // gone meanwhile
            }
        }

        File.Delete(_pidFile);
    }

    [Theory]
    [InlineData("a child")]
    [InlineData("an orphan whose parent exited")]
    public async Task A_process_a_task_started_and_left_running_is_gone_once_the_pool_is_disposed(string which)
    {
        int worker;
        await using (var pool = Pools.Create(workers: 1))
        {
            worker = await pool.SubmitAsync(Maths.ProcessId).Within();
            Func<int, int> start = which == "a child" ? Children.StartSleep : Children.StartOrphanSleep;
            Started(await pool.SubmitAsync(start, 300).Within());
            Assert.True(Processes.IsAlive(_started[0]));
        }

        Assert.True(await Processes.WaitUntilGoneAsync(_started, Bounded.Timeout), $"{which} outlived the pool");
        Assert.False(Processes.IsAlive(worker));
    }

    [Fact]
    public async Task An_orphan_started_by_a_task_killed_for_its_timeout_is_gone()
    {
        await using var pool = Pools.Create(workers: 1);
        await pool.SubmitAsync(Maths.ProcessId).Within(); // warm: the timeout counts the first call's costs too
        var options = new TaskOptions { Timeout = TimeSpan.FromSeconds(1.5), KillGracePeriod = TimeSpan.FromMilliseconds(300) };

        var error = await Assert.ThrowsAsync<TaskTimeoutException>(() => pool.SubmitAsync(Children.StartOrphanSleepThenSpin, _pidFile, options).Within());

        Assert.True(error.WorkerKilled);
        Started(ReadPid());
        Assert.True(await Processes.WaitUntilGoneAsync(_started, Bounded.Timeout), "the orphan outlived its worker's kill");
    }

    [Fact]
    public async Task A_child_of_a_worker_that_crashes_is_gone()
    {
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = TextWriter.Null);

        await Assert.ThrowsAsync<WorkerCrashedException>(() => pool.SubmitAsync(Children.StartSleepThenCrash, _pidFile).Within());

        Started(ReadPid());
        Assert.True(await Processes.WaitUntilGoneAsync(_started, Bounded.Timeout), "the child outlived its crashed worker");
        Assert.Equal(9, await pool.SubmitAsync(Maths.Square, 3).Within());
    }

    [Theory]
    [InlineData("recycled after its task")]
    [InlineData("idle too long")]
    public async Task A_child_of_a_worker_that_leaves_is_gone_while_the_pool_goes_on(string why)
    {
        await using var pool = Pools.Create(workers: 1, o =>
        {
            if (why == "recycled after its task")
            {
                o.MaxTasksPerWorker = 1;
            }
            else
            {
                o.WorkerIdleTimeout = TimeSpan.FromMilliseconds(200);
            }
        });

        Started(await pool.SubmitAsync(Children.StartSleep, 300).Within());

        Assert.True(await Processes.WaitUntilGoneAsync(_started, Bounded.Timeout), $"the child outlived its worker, {why}");
        Assert.Equal(4, await pool.SubmitAsync(Maths.Square, 2).Within());
    }

    [Fact]
    public async Task A_child_of_a_worker_whose_parent_is_killed_with_SIGKILL_is_gone()
    {
        using var parent = Processes.StartHost("orphan-child");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        var pids = line["PIDS ".Length..].Split(',').Select(int.Parse).ToArray();
        _started.AddRange(pids);

        parent.Kill(); // SIGKILL: nothing of the parent runs; the worker sees its channel close
        await parent.WaitForExitAsync().Within();

        Assert.True(await Processes.WaitUntilGoneAsync(pids, Bounded.Timeout), "the worker or its child outlived the parent");
    }

    [Fact]
    public async Task A_terminals_ctrl_c_still_cancels_the_work_and_the_child_a_task_started_goes_with_its_worker()
    {
        // The app leads its own process group, as a terminal's foreground job does; workers lead theirs,
        // so the terminal's SIGINT reaches only the app, which cancels its pool's work.
        using var parent = Processes.StartHost(inOwnSession: true, "ctrlc-child");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        var pids = line["PIDS ".Length..].Split(',').Select(int.Parse).ToArray();
        _started.AddRange(pids);

        Signals.SendToGroup(parent.Id, Signals.Interrupt);

        Assert.Equal("canceled", await parent.StandardOutput.ReadLineAsync().Within());
        await parent.WaitForExitAsync().Within();
        Assert.Equal(0, parent.ExitCode);
        Assert.True(await Processes.WaitUntilGoneAsync(pids, Bounded.Timeout), "the worker or its child outlived the cancelled work");
    }

    [Fact]
    public async Task Turned_off_a_child_outlives_the_pool()
    {
        await using (var pool = Pools.Create(workers: 1, o => o.KillWorkerDescendants = false))
        {
            Started(await pool.SubmitAsync(Children.StartSleep, 300).Within());
        }

        Assert.True(Processes.IsAlive(_started[0])); // the cleanup kills it
    }

    [Fact]
    public async Task A_child_native_code_starts_and_waits_for_keeps_its_exit_status()
    {
        // The worker must not reap children it did not start itself: native code waits for its own.
        await using var pool = Pools.Create(workers: 1);
        Assert.Equal(7, await pool.SubmitAsync(NativeChildren.SpawnExitSevenAndCollect, 2500).Within());
    }

    private void Started(int pid) => _started.Add(pid);

    private int ReadPid() => int.Parse(File.ReadAllText(_pidFile), CultureInfo.InvariantCulture);
}

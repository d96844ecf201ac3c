using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>The crashes not covered by CrashTests: below .NET, out of memory, and the parent's own death mid-map.</summary>
public sealed class CrashKindTests
{
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

    [Fact]
    public async Task Workers_busy_in_a_map_exit_within_2_s_of_their_parent_being_killed_with_SIGKILL()
    {
        using var parent = Processes.StartHost("orphan-map", "2");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        var pids = line["PIDS ".Length..].Split(',').Select(int.Parse).ToArray();
        Assert.Equal(2, pids.Length);

        parent.Kill();
        await parent.WaitForExitAsync().Within();

        Assert.True(await Processes.WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(2)), "busy workers outlived their parent by more than 2 s");
    }

    [Fact]
    public async Task The_first_ctrl_c_cancels_running_work_and_lets_the_app_finish_cleanly()
    {
        using var parent = Processes.StartHost("ctrlc");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        int worker = int.Parse(line["PIDS ".Length..], System.Globalization.CultureInfo.InvariantCulture);

        Signals.Send(parent.Id, Signals.Interrupt);

        Assert.Equal("canceled", await parent.StandardOutput.ReadLineAsync().Within());
        await parent.WaitForExitAsync().Within();
        Assert.Equal(0, parent.ExitCode);
        Assert.True(await Processes.WaitUntilGoneAsync([worker], Bounded.Timeout));
    }

    [Fact]
    public async Task Ctrl_c_still_ends_an_app_whose_pool_is_idle()
    {
        using var parent = Processes.StartHost("ctrlc-idle");
        Assert.Equal("READY", await parent.StandardOutput.ReadLineAsync().Within());

        Signals.Send(parent.Id, Signals.Interrupt);

        await parent.WaitForExitAsync().Within();
        Assert.Equal(130, parent.ExitCode); // 128 + SIGINT: the usual end of a program on Ctrl-C
    }

    [Fact]
    public async Task A_worker_ignores_ctrl_c_itself_the_parent_decides()
    {
        await using var pool = Pools.Create(workers: 1, o => o.CancelOnCtrlC = false);
        int pid = await pool.SubmitAsync(Maths.ProcessId).Within();
        Signals.Send(pid, Signals.Interrupt);
        Assert.Equal(pid, await pool.SubmitAsync(Runaway.SleepThenReturnPid, 200).Within());
    }
}

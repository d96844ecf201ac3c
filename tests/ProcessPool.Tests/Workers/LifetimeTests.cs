using System.Diagnostics;
using ProcessPool.Tests.Support;
using ProcessPool.Workers;

namespace ProcessPool.Tests.Workers;

public sealed class LifetimeTests
{
    [Fact]
    public async Task Workers_exit_when_their_parent_is_killed_with_SIGKILL()
    {
        using var parent = Processes.StartHost("orphan", "2");
        string? line = await parent.StandardOutput.ReadLineAsync().Within();
        Assert.NotNull(line);
        Assert.StartsWith("PIDS ", line, StringComparison.Ordinal);
        var pids = line["PIDS ".Length..].Split(',').Select(int.Parse).ToArray();
        Assert.Equal(2, pids.Length);
        Assert.All(pids, pid => Assert.True(Processes.IsAlive(pid)));

        parent.Kill(); // SIGKILL: no finalizer, no dispose, nothing of the parent runs
        await parent.WaitForExitAsync().Within();

        Assert.True(await Processes.WaitUntilGoneAsync(pids, TimeSpan.FromSeconds(5)), "workers outlived their parent");
    }

    [Fact]
    public async Task A_new_pool_removes_what_a_killed_parent_left_in_the_temp_directory()
    {
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync().Within();
        string leftover = Path.Combine(WorkerEndpoint.Root, $"pp-{gone.Id}-deadbeef0000");
        Directory.CreateDirectory(leftover);

        await using var pool = Pools.Create(workers: 1);
        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public async Task Worker_output_is_forwarded_to_the_parents_stderr_with_the_worker_id()
    {
        using var parent = Processes.StartHost("print", "hello from a worker");
        var stdout = parent.StandardOutput.ReadToEndAsync();
        var stderr = parent.StandardError.ReadToEndAsync();
        await parent.WaitForExitAsync().Within();

        Assert.Equal(0, parent.ExitCode);
        Assert.Contains("[worker 1] out: hello from a worker", await stderr, StringComparison.Ordinal);
        Assert.Contains("[worker 1] err: hello from a worker", await stderr, StringComparison.Ordinal);
        Assert.Equal("result 144", (await stdout).Trim()); // the parent's own stdout holds only its own output
    }

    [Fact]
    public async Task Worker_output_reaches_the_configured_writer_before_the_result()
    {
        var output = new StringWriter();
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = output);
        await pool.SubmitAsync(Maths.Print, "captured").Within();

        // No waiting: console output travels on the channel, ahead of the result of the call that wrote it.
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        int worker = Assert.Single(pool.Workers).WorkerId;
        Assert.Contains($"[worker {worker}] out: captured", text, StringComparison.Ordinal);
        Assert.Contains($"[worker {worker}] err: captured", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_line_is_forwarded_with_its_result()
    {
        var output = new StringWriter();
        await using var pool = Pools.Create(workers: 1, o => o.WorkerOutput = output);
        await pool.SubmitAsync(() => Console.Write("no newline")).Within();
        lock (output)
        {
            Assert.Contains("] no newline", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_worker_reading_standard_input_sees_its_end_instead_of_hanging()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Null(await pool.SubmitAsync(Maths.ReadStandardInput).Within());
    }

    [Fact]
    public async Task Disposing_the_pool_ends_every_worker_process()
    {
        int[] pids;
        await using (var pool = Pools.Create(workers: 2))
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => pool.SubmitAsync(Maths.Spin, 100_000))).Within();
            pids = [.. pool.Workers.Select(w => w.ProcessId)];
        }

        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.False(Processes.IsAlive(pid)));
    }

    [Fact]
    public async Task Native_code_in_a_task_does_not_see_the_workers_token()
    {
        await using var pool = Pools.Create(workers: 1);
        Assert.Null(await pool.SubmitAsync(NativeChildren.NativeVariable, "PROCESSPOOL_WORKER_TOKEN").Within());
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
}

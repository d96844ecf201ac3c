using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

public sealed class SubmitTests
{
    [Fact]
    public async Task Static_methods_with_zero_to_three_arguments_return_their_results()
    {
        await using var pool = Pools.Create();
        Assert.Equal(0, await pool.SubmitAsync(Maths.Zero).Within());
        Assert.Equal(49, await pool.SubmitAsync(Maths.Square, 7).Within());
        Assert.Equal(5, await pool.SubmitAsync(Maths.Add, 2, 3).Within());
        Assert.Equal("a|2|1.5", await pool.SubmitAsync(Maths.Join, "a", 2, 1.5).Within());
    }

    [Fact]
    public async Task StartAsync_makes_every_worker_ready_before_the_first_task()
    {
        await using var pool = Pools.Create(workers: 2);
        await pool.StartAsync().Within();
        Assert.Equal(2, pool.Workers.Count);
        int pid = await pool.SubmitAsync(Maths.ProcessId).Within();
        Assert.Contains(pool.Workers, w => w.ProcessId == pid);
        Assert.Equal(2, pool.Workers.Count); // the task started no worker of its own
    }

    [Fact]
    public async Task Work_runs_in_a_worker_process_not_in_the_caller()
    {
        await using var pool = Pools.Create();
        int pid = await pool.SubmitAsync(Maths.ProcessId).Within();
        Assert.NotEqual(Environment.ProcessId, pid);
        Assert.Contains(pool.Workers, w => w.ProcessId == pid);
    }

    [Fact]
    public async Task Two_workers_run_two_tasks_at_the_same_time()
    {
        await using var pool = Pools.Create(workers: 2);
        using var signal = new TestSignal();
        var first = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);
        var second = pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path);

        // Both have started before either is released: they run in parallel, in two processes.
        int pid1 = await signal.WaitForStartAsync();
        int pid2 = await signal.WaitForStartAsync();
        signal.ReleaseAll();

        Assert.NotEqual(pid1, pid2);
        Assert.Equal(new[] { pid1, pid2 }.Order(), (await Task.WhenAll(first, second).Within()).Order());
    }

    [Fact]
    public async Task A_non_capturing_lambda_runs_in_a_worker()
    {
        await using var pool = Pools.Create();
        Assert.Equal(144, await pool.SubmitAsync(() => Maths.Square(12)).Within());
    }

    [Fact]
    public async Task A_capturing_lambda_ships_its_captured_variables()
    {
        await using var pool = Pools.Create();
        int captured = 9;
        string name = "nine";
        var list = new List<int> { 1, 2, 3 };
        Assert.Equal(81, await pool.SubmitAsync(() => Maths.Square(captured)).Within());
        Assert.Equal("nine:6", await pool.SubmitAsync(() => $"{name}:{list.Sum()}").Within());

        captured = 10; // a later call sees the variable's current value
        Assert.Equal(100, await pool.SubmitAsync(() => Maths.Square(captured)).Within());
    }

    [Fact]
    public async Task A_lambda_with_nested_closures_ships_every_level()
    {
        await using var pool = Pools.Create();
        int outer = 3;
        var results = new List<Task<int>>();
        for (int i = 0; i < 3; i++)
        {
            int inner = i;
            results.Add(pool.SubmitAsync(() => (outer * 100) + inner));
        }

        Assert.Equal(new[] { 300, 301, 302 }, await Task.WhenAll(results).Within());
    }

    [Fact]
    public async Task An_instance_method_of_a_serializable_object_runs_on_a_copy_of_it()
    {
        await using var pool = Pools.Create();
        var counter = new Counter { Start = 40, Name = "c" };
        Assert.Equal(42, await pool.SubmitAsync(counter.AddTo, 2).Within());
        Assert.Equal("c:40", await pool.SubmitAsync(counter.Describe).Within());
    }

    [Fact]
    public async Task An_instance_method_of_an_immutable_object_sees_its_private_state()
    {
        await using var pool = Pools.Create();
        var multiplier = new Multiplier(3, "x=");
        Assert.Equal("x=21", await pool.SubmitAsync(multiplier.Apply, 7).Within());
        Assert.Equal(50.0, await pool.SubmitAsync(new Functions.Square(5, 2).Area).Within());
    }

    [Fact]
    public async Task A_lambda_capturing_this_and_a_local_ships_both()
    {
        await using var pool = Pools.Create();
        Assert.Equal("hello 42", await pool.SubmitAsync(new Greeter("hello").Make(), 41).Within());
    }

    [Fact]
    public async Task A_captured_this_travels_as_its_runtime_type()
    {
        await using var pool = Pools.Create();
        Assert.Equal(11, await pool.SubmitAsync(new DoubleJob().Make(), 5).Within()); // DoubleJob.Advance, not Job.Advance
    }

    [Fact]
    public async Task An_object_with_an_unsubscribed_event_can_be_sent()
    {
        await using var pool = Pools.Create();
        Assert.Equal(42, await pool.SubmitAsync(new Observable { Value = 21 }.Twice).Within());
    }

    [Fact]
    public async Task An_async_lambda_ships_the_variables_it_captures()
    {
        await using var pool = Pools.Create();
        int n = 21;
        string label = "answer";
        Assert.Equal("answer 42", await pool.SubmitAsync(async () => { await Task.Yield(); return $"{label} {n * 2}"; }).Within());
    }

    [Fact]
    public async Task Generic_methods_run_with_their_type_arguments()
    {
        await using var pool = Pools.Create();
        Assert.Equal("text", await pool.SubmitAsync(Maths.Identity<string>, "text").Within());
        Assert.Equal(new[] { 1, 2 }, await pool.SubmitAsync(Maths.Identity<List<int>>, new List<int> { 1, 2 }).Within());
        Assert.Equal(7.5, await pool.SubmitAsync(Maths.Identity, 7.5).Within());
    }

    [Fact]
    public async Task A_lambda_inside_a_generic_method_runs()
    {
        await using var pool = Pools.Create();
        Assert.Equal(new[] { "x", "x" }, await Twice(pool, "x"));

        static Task<string[]> Twice<T>(ProcessPoolExecutor pool, T value) => pool.SubmitAsync(() => new[] { $"{value}", $"{value}" }).Within();
    }

    [Fact]
    public async Task Complex_arguments_and_results_round_trip()
    {
        await using var pool = Pools.Create();
        var input = new Dictionary<string, int[]> { ["a"] = [1, 2], ["b"] = [] };
        var output = await pool.SubmitAsync(Maths.Identity, input).Within();
        Assert.Equal(input, output);

        var point = new Point(1.5, -2);
        Assert.Equal(point, await pool.SubmitAsync(Maths.Identity, point).Within());
    }

    [Fact]
    public async Task An_async_function_receives_a_token_and_its_result_comes_back()
    {
        await using var pool = Pools.Create();
        using var cts = new CancellationTokenSource();
        int result = await pool.SubmitAsync(Maths.SlowAsync, 5, cts.Token).Within();
        Assert.Equal(10, result);
    }

    [Fact]
    public async Task Async_lambdas_are_awaited_in_the_worker()
    {
        await using var pool = Pools.Create();
        Assert.Equal(3, await pool.SubmitAsync(async () => { await Task.Yield(); return 3; }).Within());
        await pool.SubmitAsync(async () => await Task.Yield()).Within();
    }

    [Fact]
    public async Task Action_overloads_return_a_task_that_completes()
    {
        await using var pool = Pools.Create(configure: o => o.WorkerOutput = TextWriter.Null);
        await pool.SubmitAsync(Console.WriteLine, "hi").Within();
        await pool.SubmitAsync(() => Console.WriteLine("lambda")).Within();
    }

    [Fact]
    public async Task A_large_payload_round_trips_intact()
    {
        await using var pool = Pools.Create(workers: 1);
        var data = new byte[48 << 20];
        new Random(42).NextBytes(data);
        byte[] echoed = await pool.SubmitAsync(Maths.Echo, data).Within();
        Assert.Equal(data.Length, echoed.Length);
        Assert.True(data.AsSpan().SequenceEqual(echoed));
    }

    [Fact]
    public async Task Many_concurrent_submits_all_complete_with_their_own_results()
    {
        await using var pool = Pools.Create();
        var tasks = Enumerable.Range(0, 2000).Select(i => pool.SubmitAsync(Maths.Square, i)).ToArray();
        var results = await Task.WhenAll(tasks).Within();
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => i * i), results);
    }

    [Fact]
    public async Task Workers_report_their_process_ids_and_completed_tasks()
    {
        await using var pool = Pools.Create(workers: 1);
        for (int i = 0; i < 3; i++)
        {
            await pool.SubmitAsync(Maths.Square, i).Within();
        }

        var worker = Assert.Single(pool.Workers);
        Assert.Equal(3, worker.TasksCompleted);
        Assert.Equal(0, worker.TasksInFlight);
        Assert.True(Processes.IsAlive(worker.ProcessId));
    }

    [Fact]
    public async Task The_pool_never_runs_more_workers_than_its_maximum()
    {
        await using var pool = Pools.Create(workers: 2);
        var pids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => pool.SubmitAsync(Maths.ProcessIdOf, i))).Within();
        Assert.InRange(pids.Distinct().Count(), 1, 2);
        Assert.InRange(pool.Workers.Count, 1, 2);
    }

    [Fact]
    public async Task A_null_function_is_rejected_at_the_call()
    {
        await using var pool = Pools.Create();
        Assert.Throws<ArgumentNullException>("function", () => { _ = pool.SubmitAsync((Func<int>)null!); });
    }

    public sealed record Point(double X, double Y);
}

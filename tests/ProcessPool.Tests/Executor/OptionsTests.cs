using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Executor;

public sealed class OptionsTests
{
    [Fact]
    public void Bad_values_are_rejected_naming_the_value()
    {
        var options = new ProcessPoolOptions();
        var error = Assert.Throws<ArgumentOutOfRangeException>("MaxWorkers", () => options.MaxWorkers = 0);
        Assert.Contains("'0'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>("MaxTasksPerWorker", () => options.MaxTasksPerWorker = 0);
        Assert.Throws<ArgumentOutOfRangeException>("WorkerStartTimeout", () => options.WorkerStartTimeout = TimeSpan.Zero);
        var map = new MapOptions();
        Assert.Throws<ArgumentOutOfRangeException>("ChunkSize", () => map.ChunkSize = -1);
        Assert.Throws<ArgumentOutOfRangeException>("MaxInFlight", () => map.MaxInFlight = -1);
        Assert.Throws<ArgumentOutOfRangeException>("Timeout", () => map.Timeout = TimeSpan.FromSeconds(-1));
    }

    [Fact]
    public void Defaults_are_documented_values()
    {
        var options = new ProcessPoolOptions();
        Assert.Equal(Environment.ProcessorCount, options.MaxWorkers);
        Assert.Null(options.MaxTasksPerWorker);
        Assert.Null(options.Initializer);
        Assert.Empty(options.EnvironmentVariables);
        Assert.True(options.KillWorkerDescendants);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(0, new MapOptions().ChunkSize);
    }

    [Fact]
    public void A_null_TimeProvider_is_rejected()
    {
        var options = new ProcessPoolOptions();
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => options.TimeProvider = null!).ParamName);
    }

    [Fact]
    public void A_missing_working_directory_is_rejected_when_the_pool_is_built()
    {
        var options = new ProcessPoolOptions { WorkingDirectory = "/no/such/directory" };
        Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(options));
    }

    [Fact]
    public async Task The_initializer_runs_in_each_worker_before_its_first_task()
    {
        string value = "initialized";
        await using var pool = Pools.Create(workers: 2, o => o.Initializer = () => WorkerState.Initialize(value));
        var seen = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => pool.SubmitAsync(WorkerState.Read))).Within();
        Assert.All(seen, s => Assert.Equal("initialized", s));
    }

    [Fact]
    public async Task An_initializer_that_prints_still_initializes_the_worker()
    {
        var output = new StringWriter();
        await using var pool = Pools.Create(workers: 1, o =>
        {
            o.WorkerOutput = output;
            o.Initializer = () =>
            {
                Console.WriteLine("initializing");
                WorkerState.Initialize("printed");
            };
        });
        Assert.Equal("printed", await pool.SubmitAsync(WorkerState.Read).Within());
        lock (output)
        {
            Assert.Contains("initializing", output.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_failing_initializer_breaks_the_pool_with_a_clear_exception()
    {
        await using var pool = Pools.Create(workers: 2, o => o.Initializer = WorkerState.FailInitialization);
        var error = await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.SubmitAsync(Maths.Square, 2).Within());
        var inner = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal("initializer refused", inner.Message);

        // Later tasks fail the same way, without starting worker after worker.
        await Assert.ThrowsAsync<WorkerInitializationException>(() => pool.SubmitAsync(Maths.Square, 3).Within());
    }

    [Fact]
    public void An_initializer_with_unserializable_state_fails_the_constructor()
    {
        using var stream = new MemoryStream();
        var options = new ProcessPoolOptions { Initializer = () => stream.WriteByte(1) };
        Assert.Throws<PayloadSerializationException>(() => new ProcessPoolExecutor(options));
    }

    [Fact]
    public async Task Environment_variables_are_added_and_removed_in_workers()
    {
        Environment.SetEnvironmentVariable("PP_TEST_INHERITED", "parent");
        await using var pool = Pools.Create(configure: o =>
        {
            o.EnvironmentVariables["PP_TEST_ADDED"] = "added";
            o.EnvironmentVariables["PP_TEST_INHERITED"] = null;
        });
        Assert.Equal("added", await pool.SubmitAsync(Maths.EnvironmentVariable, "PP_TEST_ADDED").Within());
        Assert.Null(await pool.SubmitAsync(Maths.EnvironmentVariable, "PP_TEST_INHERITED").Within());
    }

    [Fact]
    public async Task The_working_directory_is_applied_to_workers()
    {
        string dir = Directory.CreateTempSubdirectory("pp-wd-").FullName;
        await using (var pool = Pools.Create(configure: o => o.WorkingDirectory = dir))
        {
            Assert.Equal(dir, await pool.SubmitAsync(Maths.CurrentDirectory).Within());
        }

        Directory.Delete(dir);
    }

    // Each feature's options, checked the same way (formerly in TimeoutTests, RecyclingTests and CancellationModeTests).
    [Fact]
    public void Bad_timeouts_are_rejected_naming_the_option()
    {
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { Timeout = TimeSpan.Zero }).ParamName);
        Assert.Equal("KillGracePeriod", Assert.Throws<ArgumentOutOfRangeException>(() => new TaskOptions { KillGracePeriod = TimeSpan.FromSeconds(-1) }).ParamName);
        Assert.Equal("TaskTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new MapOptions { TaskTimeout = TimeSpan.FromSeconds(-2) }).ParamName);
        Assert.Equal("TaskTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { TaskTimeout = TimeSpan.Zero }).ParamName);
    }

    [Fact]
    public void Bad_limits_are_rejected_naming_the_option()
    {
        Assert.Equal("MaxWorkerMemory", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { MaxWorkerMemory = 0 }).ParamName);
        Assert.Equal("WorkerIdleTimeout", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { WorkerIdleTimeout = TimeSpan.Zero }).ParamName);
        Assert.Equal("WorkerMemoryLimit", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { WorkerMemoryLimit = -1 }).ParamName);
        Assert.Equal("MaxQueuedTasks", Assert.Throws<ArgumentOutOfRangeException>(() => new ProcessPoolOptions { MaxQueuedTasks = 0 }).ParamName);
        Assert.Equal("MaxAttempts", Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { MaxAttempts = 0 }).ParamName);
        Assert.Equal("BackoffMultiplier", Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy { BackoffMultiplier = 0.5 }).ParamName);
    }

    [Fact]
    public void Undefined_cancellation_modes_are_rejected_naming_the_option()
    {
        var undefined = (CancellationMode)7;
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new ProcessPoolOptions { CancellationMode = undefined });
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new TaskOptions { CancellationMode = undefined });
        Assert.Throws<ArgumentOutOfRangeException>("CancellationMode", () => new MapOptions { CancellationMode = undefined });
        Assert.Equal(CancellationMode.Signal, new ProcessPoolOptions().CancellationMode);
        Assert.Null(new TaskOptions().CancellationMode);
        Assert.Null(new MapOptions().CancellationMode);
    }
}

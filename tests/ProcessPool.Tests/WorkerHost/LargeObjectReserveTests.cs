using ProcessPool.Tests.Support;
using ProcessPool.WorkerHost;

namespace ProcessPool.Tests.WorkerHost;

/// <summary>
/// A worker keeps the memory of the large arrays it dropped committed for the next ones, instead of
/// faulting in fresh pages for each (<see cref="LargeObjectReserve"/>).
/// </summary>
public sealed class LargeObjectReserveTests
{
    private const int Arrays = 64;
    private const int PagesPerArray = 1024 * 1024 / 4096;

    [Fact]
    public async Task A_worker_places_its_large_arrays_in_memory_it_already_has()
    {
        await using var pool = Pools.Create(workers: 1);
        long faults = await pool.SubmitAsync(LargeArrays.MinorFaultsWhileAllocating, Arrays, 1024).Within();
        if (faults < 0)
        {
            return; // page faults are read from /proc: Linux only
        }

        // Measured: ~540 (the first array touches the gap's pages; the rest reuse them), against ~7,450 without.
        Assert.True(faults < Arrays * PagesPerArray / 8, $"{faults} minor page faults for {Arrays} arrays of 1 MiB ({PagesPerArray} pages each)");
    }

    [Fact]
    public async Task Without_the_reserve_each_array_faults_in_fresh_pages()
    {
        // Why the reserve exists: the GC trims the large object heap after each full collection, so
        // the next array lands on memory it has just given back to the OS.
        await using var pool = Pools.Create(workers: 1, options => options.EnvironmentVariables[LargeObjectReserve.SizeVariable] = "0");
        long faults = await pool.SubmitAsync(LargeArrays.MinorFaultsWhileAllocating, Arrays, 1024).Within();
        if (faults < 0)
        {
            return; // page faults are read from /proc: Linux only
        }

        Assert.True(faults > Arrays * PagesPerArray / 4, $"{faults} minor page faults for {Arrays} arrays of 1 MiB ({PagesPerArray} pages each)");
    }

    [Theory]
    [InlineData(null, 24L << 30, LargeObjectReserve.DefaultMegabytes)] // this project's machine: 24 GiB
    [InlineData(null, 2L << 30, LargeObjectReserve.DefaultMegabytes)]
    [InlineData(null, 1L << 30, 0)] // a heap hard limit or a container of 1 GiB: not worth 24 MB of it
    [InlineData("0", 24L << 30, 0)] // the app turned it off
    [InlineData("8", 24L << 30, 8)]
    [InlineData("8", 1L << 30, 8)] // the app's own size wins over the memory rule
    [InlineData("-8", 24L << 30, LargeObjectReserve.DefaultMegabytes)]
    [InlineData("many", 24L << 30, LargeObjectReserve.DefaultMegabytes)]
    [InlineData("4096", 24L << 30, LargeObjectReserve.DefaultMegabytes)]
    public void The_reserve_is_the_default_size_unless_memory_is_small_or_the_app_chose_one(string? setting, long availableBytes, int expected)
    {
        Assert.Equal(expected, LargeObjectReserve.MegabytesFor(setting, availableBytes));
    }

    [Theory]
    [InlineData("31")]
    [InlineData("-8")]
    [InlineData("many")]
    public void A_pool_refuses_a_reserve_size_its_workers_would_ignore(string setting)
    {
        var options = new ProcessPoolOptions();
        options.EnvironmentVariables[LargeObjectReserve.SizeVariable] = setting;
        var error = Assert.Throws<ArgumentException>(() => new ProcessPoolExecutor(options));
        Assert.Contains($"is '{setting}'; it takes a whole number of MB from 0 (no reserve) to 30", error.Message, StringComparison.Ordinal);
    }
}

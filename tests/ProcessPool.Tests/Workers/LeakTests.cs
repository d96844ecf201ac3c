using ProcessPool.Tests.Support;
using Xunit.Abstractions;

namespace ProcessPool.Tests.Workers;

/// <summary>
/// Create, use and dispose pools over and over: no process, file descriptor or thread may be left
/// behind. The suite runs 40 cycles; the soak program (bench, <c>soak --cycles 1000</c>) runs 1,000.
/// Runs alone (its own collection) so other tests' pools do not blur the counts.
/// </summary>
[Collection(nameof(LeakTests))]
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public sealed class LeakTests(ITestOutputHelper output)
{
    private const int Cycles = 40;

    [Fact]
    public async Task Create_use_dispose_cycles_leak_no_processes_descriptors_or_threads()
    {
        await CycleAsync(3); // first use: lazy statics, the thread pool's first threads
        GC.Collect();
        GC.WaitForPendingFinalizers(); // what earlier tests left for finalizers is released before counting
        var before = ResourceCounts.Take();

        await CycleAsync(Cycles);

        var after = ResourceCounts.Take();
        output.WriteLine($"{Cycles} cycles: before {before}, after {after}");
        Assert.True(after.ChildProcesses <= before.ChildProcesses, $"child processes grew: {before} -> {after}");
        Assert.True(after.FileDescriptors <= before.FileDescriptors + 4, $"file descriptors grew: {before} -> {after}");
        Assert.True(after.Threads <= before.Threads + 8, $"threads grew: {before} -> {after}");
    }

    private static async Task CycleAsync(int cycles)
    {
        for (int i = 0; i < cycles; i++)
        {
            await using var pool = Pools.Create(workers: 1);
            Assert.Equal(i * i, await pool.SubmitAsync(Maths.Square, i).Within());
        }
    }
}

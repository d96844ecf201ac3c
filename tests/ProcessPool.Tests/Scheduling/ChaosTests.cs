using ProcessPool.Tests.Support;
using Xunit.Abstractions;

namespace ProcessPool.Tests.Scheduling;

/// <summary>Random SIGKILLs of workers while work runs: every task must end exactly once, none hang.</summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int TaskCount = 20_000;
    private static readonly TimeSpan KillInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ChaosWindow = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Every_one_of_20000_submits_ends_once_with_its_result_or_WorkerCrashedException()
    {
        await using var pool = Pools.Create(workers: 2);
        var tasks = new Task<long>[TaskCount];
        int kills;
        await using (var chaos = new Chaos(pool, KillInterval, ChaosWindow))
        {
            for (int i = 0; i < TaskCount; i++)
            {
                tasks[i] = pool.SubmitAsync(Runaway.BusyItem, (long)i);
            }

            await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(Bounded.Timeout));
            kills = chaos.Kills;
        }

        int results = 0, crashed = 0, wrong = 0, other = 0, hung = 0;
        for (int i = 0; i < TaskCount; i++)
        {
            var task = tasks[i];
            if (!task.IsCompleted)
            {
                hung++;
            }
            else if (task.IsCompletedSuccessfully)
            {
                if (await task == i + 1) { results++; } else { wrong++; }
            }
            else if (task.Exception?.InnerException is WorkerCrashedException)
            {
                crashed++;
            }
            else
            {
                other++;
            }
        }

        output.WriteLine($"submits {TaskCount}, workers killed {kills}: results {results}, WorkerCrashedException {crashed}, wrong {wrong}, other {other}, hung {hung}, lost {TaskCount - results - crashed - wrong - other - hung}");
        Assert.Equal(0, hung);
        Assert.Equal(0, wrong);
        Assert.Equal(0, other);
        Assert.Equal(TaskCount, results + crashed);
        Assert.True(kills > 0);
        Assert.True(crashed <= kills, $"{crashed} tasks failed with a crash, but only {kills} workers were killed");
    }

    [Fact]
    public async Task With_retries_a_map_of_20000_items_yields_every_result_exactly_once_in_order()
    {
        await using var pool = Pools.Create(workers: 2);
        var options = new MapOptions { RetryPolicy = new RetryPolicy { MaxAttempts = 100, InitialDelay = TimeSpan.Zero } };
        var seen = new int[TaskCount];
        int outOfOrder = 0, wrong = 0, position = 0, kills;
        await using (var chaos = new Chaos(pool, KillInterval, ChaosWindow))
        {
            await foreach (long result in pool.MapAsync(Runaway.BusyItem, Enumerable.Range(0, TaskCount).Select(i => (long)i), options).WithCancellation(new CancellationTokenSource(Bounded.Timeout).Token))
            {
                int index = (int)result - 1;
                if (index < 0 || index >= TaskCount) { wrong++; continue; }
                if (index != position) { outOfOrder++; }
                seen[index]++;
                position++;
            }

            kills = chaos.Kills;
        }

        int lost = seen.Count(n => n == 0), duplicated = seen.Count(n => n > 1);
        output.WriteLine($"map items {TaskCount}, workers killed {kills}: yielded {position}, lost {lost}, duplicated {duplicated}, out of order {outOfOrder}, wrong {wrong}");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(0, outOfOrder);
        Assert.Equal(0, wrong);
        Assert.True(kills > 0);
    }
}

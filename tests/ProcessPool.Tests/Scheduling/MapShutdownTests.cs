using System.Text.RegularExpressions;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// A pool shut down while a map runs: the items already submitted finish and are yielded, then the map
/// ends with an <see cref="ObjectDisposedException"/> that says the pool was shut down and how many
/// items were not run.
/// </summary>
public sealed partial class MapShutdownTests
{
    private const int Items = 100;

    // One item per message and a small window: item 0 holds the only worker while items 1–3 wait.
    private static readonly MapOptions Window = new() { ChunkSize = 1, MaxInFlight = 4 };

    public enum Form
    {
        MapAsync,
        MapUnorderedAsync,
        BlockingMap,
    }

    [Theory]
    [InlineData(Form.MapAsync)]
    [InlineData(Form.MapUnorderedAsync)]
    [InlineData(Form.BlockingMap)]
    public async Task Shutting_down_with_wait_lets_the_submitted_items_finish_then_ends_the_map_saying_how_many_were_not_run(Form form)
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var results = new List<int>();
        var map = Consume(pool, form, signal.Path, results);
        await signal.WaitForStartAsync();

        var shutdown = pool.ShutdownAsync(wait: true);
        signal.ReleaseAll();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.Within());
        await shutdown.Within();
        int finished = results.Count;
        Assert.InRange(finished, 1, Window.MaxInFlight); // what had been submitted when the pool shut down
        Assert.Equal(Enumerable.Range(0, finished), form == Form.MapUnorderedAsync ? results.Order() : results);
        Assert.Contains(
            $"The pool was shut down while this map was running: {Items - finished} items were not run; the {finished} submitted before the shutdown finished.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Form.MapAsync)]
    [InlineData(Form.MapUnorderedAsync)]
    [InlineData(Form.BlockingMap)]
    public async Task Shutting_down_with_cancelPending_cancels_the_queued_items_and_counts_them_as_not_run(Form form)
    {
        var pool = Pools.Create(workers: 1);
        using var signal = new TestSignal();
        var results = new List<int>();
        var map = Consume(pool, form, signal.Path, results);
        await signal.WaitForStartAsync();

        var shutdown = pool.ShutdownAsync(wait: true, cancelPending: true);

        // Items already sent to the worker are withdrawn by a message of their own; released before it
        // arrives, the worker would start the next one (cancelPending promises only the unsent ones).
        await Eventually.TrueAsync(() => pool.Workers.Sum(w => w.TasksInFlight) == 1, "the withdrawal of the items sent to the worker");
        signal.ReleaseAll();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => map.Within());
        await shutdown.Within();
        Assert.Equal([0], results); // only the item that was running
        var account = CancelledAccount().Match(error.Message);
        Assert.True(account.Success, error.Message);
        Assert.Equal(int.Parse(account.Groups["submitted"].Value) - 1, int.Parse(account.Groups["cancelled"].Value));
    }

    [GeneratedRegex(@"The pool was shut down while this map was running: 99 items were not run; of the (?<submitted>\d+) submitted before the shutdown, 1 finished and (?<cancelled>\d+) (was|were) cancelled by it\.")]
    private static partial Regex CancelledAccount();

    /// <summary>Runs the map in the given form over 0–99, collecting results until it ends.</summary>
    private static Task Consume(ProcessPoolExecutor pool, Form form, string signalPath, List<int> results)
    {
        var items = Enumerable.Range(0, Items).ToList();
        Func<int, int> function = x => Gating.HoldFirstItem(signalPath, x);
        return form switch
        {
            Form.BlockingMap => Task.Run(() =>
            {
                foreach (int result in pool.Map(function, items, Window))
                {
                    results.Add(result);
                }
            }),
            Form.MapUnorderedAsync => CollectAsync(pool.MapUnorderedAsync(function, items, Window), results),
            _ => CollectAsync(pool.MapAsync(function, items, Window), results),
        };
    }

    private static async Task CollectAsync(IAsyncEnumerable<int> map, List<int> results)
    {
        using var bound = new CancellationTokenSource(Bounded.Timeout);
        await foreach (int result in map.WithCancellation(bound.Token))
        {
            results.Add(result);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Scheduling;
using ProcessPool.Serialization;
using ProcessPool.Tests.Scheduling.Fakes;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// How a map reads its source. A map over a source that has nothing ready sends what it has, and hands out results while it waits:
/// each source here yields a few items, then waits on a gate that opens only once the consumer has a
/// result. A map that waits for a chunk to fill (or for the source) never gets there: the wait ends in
/// the test's cancellation instead of a hang.
/// </summary>
public sealed class MapStreamingTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private static readonly MapOptions BigChunks = new() { ChunkSize = 8 };

    [Fact]
    public async Task MapAsync_sends_a_partial_chunk_when_an_async_source_has_nothing_ready()
    {
        await using var pool = Pools.Create(workers: 1);
        using var gate = new Gate();
        var results = await ConsumeAsync(pool.MapAsync(Maths.Square, GatedAsync(gate, gate.Token), BigChunks, gate.Token), gate);
        Assert.Equal(Expected.Select(x => x * x), results);
    }

    [Fact]
    public async Task MapUnorderedAsync_sends_a_partial_chunk_when_an_async_source_has_nothing_ready()
    {
        await using var pool = Pools.Create(workers: 1);
        using var gate = new Gate();
        var results = await ConsumeAsync(pool.MapUnorderedAsync(Maths.Square, GatedAsync(gate, gate.Token), BigChunks, gate.Token), gate);
        Assert.Equal(Expected.Select(x => x * x), results.Order());
    }

    [Fact]
    public async Task A_two_source_map_sends_a_partial_chunk_when_a_source_blocks()
    {
        await using var pool = Pools.Create(workers: 1);
        using var gate = new Gate();
        var results = await ConsumeAsync(pool.MapAsync(Maths.Add, Gated(gate), Expected, BigChunks, gate.Token), gate);
        Assert.Equal(Expected.Select(x => x + x), results);
    }

    [Fact]
    public async Task MapAsync_sends_a_partial_chunk_when_a_synchronous_source_blocks_in_MoveNext()
    {
        await using var pool = Pools.Create(workers: 1);
        using var gate = new Gate();
        var results = await ConsumeAsync(pool.MapAsync(Maths.Square, Gated(gate), BigChunks, gate.Token), gate);
        Assert.Equal(Expected.Select(x => x * x), results);
    }

    [Fact]
    public async Task A_synchronous_source_that_blocks_with_automatic_chunks_still_hands_out_results()
    {
        await using var pool = Pools.Create(workers: 1);
        using var gate = new Gate();
        var results = await ConsumeAsync(pool.MapAsync(Maths.Square, Gated(gate), options: null, gate.Token), gate);
        Assert.Equal(Expected.Select(x => x * x), results);
    }

    private static int[] Expected => [1, 2, 3, 4, 5, 6];

    // Items 1-3 at once, then nothing until the consumer has seen a result, then 4-6.
    private static async IAsyncEnumerable<int> GatedAsync(Gate gate, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (int item in Expected)
        {
            if (item == 4)
            {
                await gate.Opened.WaitAsync(cancellationToken);
            }

            yield return item;
        }
    }

    private static IEnumerable<int> Gated(Gate gate)
    {
        foreach (int item in Expected)
        {
            if (item == 4)
            {
                gate.Opened.Wait(gate.Token); // a MoveNext that blocks
            }

            yield return item;
        }
    }

    private static async Task<List<int>> ConsumeAsync(IAsyncEnumerable<int> results, Gate gate)
    {
        var received = new List<int>();
        try
        {
            await foreach (int result in results)
            {
                received.Add(result);
                gate.Open();
            }
        }
        catch (OperationCanceledException e)
        {
            throw new Xunit.Sdk.XunitException($"No result came while the source waited ({received.Count} received within {Limit.TotalSeconds:N0} s): {e.Message}");
        }

        return received;
    }

    private sealed class Gate : IDisposable
    {
        private readonly CancellationTokenSource _limit = new(Limit);
        private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken Token => _limit.Token;

        public Task Opened => _opened.Task;

        public void Open() => _opened.TrySetResult();

        public void Dispose()
        {
            Open();
            _limit.Dispose();
        }
    }

    [Fact]
    public async Task An_item_that_arrives_just_after_a_partial_chunk_went_is_sent_while_the_first_chunk_runs()
    {
        await using var pool = new FakePool(o => o.MaxWorkers = 2);
        var target = CallPreparer.PrepareTarget(static (int x) => x, PayloadContext.ProcessWide);
        var runner = new MapRunner<int, int>(new object(), pool.Scheduler, target,
            static (ref MessagePackWriter writer, int item, PayloadOptions _) => writer.Write(item),
            new MapOptions { ChunkSize = 1 }, pool.Options, CallPolicy.ForPool(pool.Options));
        var results = runner.RunAsync(new JustLateSource(), ordered: true, CancellationToken.None).GetAsyncEnumerator(); // left pending: the pool's end cancels it
        var first = results.MoveNextAsync().AsTask(); // item 1 goes; its answer never comes

        await FakePool.Until(() => pool.Workers.Started.Sum(w => w.Sent.Count) >= 2, "item 2 was sent while item 1 runs");
    }

    [Fact]
    public async Task Leaving_a_map_early_does_not_wait_for_a_synchronous_source_blocked_in_MoveNext()
    {
        await using var pool = Pools.Create(workers: 1);
        using var queue = new BlockingCollection<int> { 1, 2, 3 }; // never completed: MoveNext then blocks for ever
        await FirstAndLeave().WaitAsync(Bounded.Timeout); // the map's end must not wait for the blocked MoveNext

        async Task FirstAndLeave()
        {
            await foreach (int square in pool.MapAsync(Maths.Square, queue.GetConsumingEnumerable(), new MapOptions { ChunkSize = 1 }))
            {
                Assert.Equal(1, square);
                break;
            }
        }
    }

    [Fact]
    public async Task A_synchronous_iterator_runs_on_one_thread_from_its_first_item_to_its_end()
    {
        await using var pool = Pools.Create(workers: 1);
        var source = new LockingIterator(count: 50);
        var results = await pool.MapAsync(Maths.Square, source.Items(), new MapOptions { ChunkSize = 4 }).ToListWithin();
        Assert.Equal(Enumerable.Range(0, 50).Select(x => x * x), results);
        Assert.True(source.ExitedCleanly); // Monitor.Exit on the thread that entered: MoveNext and Dispose on one thread
    }

    /// <summary>An iterator that holds a lock across its items, as a foreach over it may.</summary>
    private sealed class LockingIterator(int count)
    {
        private readonly Lock _gate = new();

        public bool ExitedCleanly { get; private set; }

        public IEnumerable<int> Items()
        {
            _gate.Enter();
            try
            {
                for (int i = 0; i < count; i++)
                {
                    yield return i;
                }
            }
            finally
            {
                _gate.Exit(); // throws SynchronizationLockException on another thread
                ExitedCleanly = true;
            }
        }
    }

    /// <summary>Item 2's MoveNextAsync is not complete when first asked, and complete at once after: it arrives just after the map looked.</summary>
    private sealed class JustLateSource : IAsyncEnumerable<int>, IAsyncEnumerator<int>, IValueTaskSource<bool>
    {
        private int _statusCalls;

        public int Current { get; private set; }

        public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

        public ValueTask DisposeAsync() => default;

        public ValueTask<bool> MoveNextAsync() => ++Current == 2 ? new ValueTask<bool>(this, 0) : new ValueTask<bool>(Current <= 4);

        public bool GetResult(short token) => true;

        public ValueTaskSourceStatus GetStatus(short token) =>
            Interlocked.Increment(ref _statusCalls) == 1 ? ValueTaskSourceStatus.Pending : ValueTaskSourceStatus.Succeeded;

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            ThreadPool.QueueUserWorkItem(s => continuation(s), state);
    }
}

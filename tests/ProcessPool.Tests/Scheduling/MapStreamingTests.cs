using System.Runtime.CompilerServices;
using ProcessPool.Tests.Support;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// A map over a source that has nothing ready sends what it has, and hands out results while it waits:
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
}

using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

public sealed class ChunkSizerTests
{
    [Fact]
    public void A_few_items_go_one_per_call_so_uneven_items_spread_over_the_workers()
    {
        // The Python docs' PRIMES: six items, the last ~3x the others. Chunked 3 + 3, one worker would
        // get the slow item and two more; one per call, the idle worker takes the next.
        var sizer = new ChunkSizer(new MapOptions(), workers: 2, oneItemPerTask: false);
        var chunks = new List<int>();
        for (int read = 0; read < 6; read += chunks[^1])
        {
            Assert.True(read + sizer.ChunkSize <= sizer.MaxInFlight, "all six are sent at once");
            chunks.Add(sizer.ChunkSize); // nothing has come back yet: no timing to size chunks by
        }

        Assert.Equal([1, 1, 1, 1, 1, 1], chunks);
    }

    [Fact]
    public void Slow_items_stay_one_per_call_and_tiny_ones_grow_into_batches()
    {
        var slow = new ChunkSizer(new MapOptions(), workers: 2, oneItemPerTask: false);
        slow.Observe(1, TimeSpan.FromMilliseconds(20));
        slow.Observe(1, TimeSpan.FromMilliseconds(60));
        Assert.Equal(1, slow.ChunkSize);

        var tiny = new ChunkSizer(new MapOptions(), workers: 2, oneItemPerTask: false);
        for (int i = 0; i < 20; i++)
        {
            tiny.Observe(tiny.ChunkSize, TimeSpan.FromMicroseconds(tiny.ChunkSize * 0.05));
        }

        Assert.True(tiny.ChunkSize > 1000, $"chunk of {tiny.ChunkSize} items of 50 ns");
    }
}

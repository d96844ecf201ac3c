using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

public sealed class ChunkCallTests
{
    [Theory]
    [InlineData(int.MaxValue, false)] // would size an array of two billion results
    [InlineData(3, false)] // more than the chunk holds
    [InlineData(1, false)] // fewer, and no error to say why
    [InlineData(3, true)]
    public void A_completed_count_the_chunk_cannot_have_fails_the_chunk_with_a_protocol_error(int completed, bool withError)
    {
        var chunk = new ChunkCall<int>(CallPreparer.PrepareTarget((Func<int, int>)Maths.Square, ProcessPool.Serialization.PayloadContext.ProcessWide), itemCount: 2, CallPolicy.ForPool(new ProcessPoolOptions()), CancellationToken.None);
        var error = withError ? ExceptionInfo.From(new InvalidOperationException("boom")) : null;

        long before = GC.GetAllocatedBytesForCurrentThread();
        chunk.Complete(new ResultMessage(1, 0, completed, error, new byte[] { 0x01, 0x04 }));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the chunk allocated by the worker's count");

        var failure = Assert.IsType<ProtocolException>(chunk.Task.Exception?.InnerException);
        Assert.Contains($"{completed} of 2", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chunk_with_all_its_results_completes()
    {
        var chunk = new ChunkCall<int>(CallPreparer.PrepareTarget((Func<int, int>)Maths.Square, ProcessPool.Serialization.PayloadContext.ProcessWide), itemCount: 2, CallPolicy.ForPool(new ProcessPoolOptions()), CancellationToken.None);
        chunk.Complete(new ResultMessage(1, 0, 2, null, new byte[] { 0x01, 0x04 }));
        var outcome = await chunk.Task;
        Assert.Equal(new[] { 1, 4 }, outcome.Results);
    }
}

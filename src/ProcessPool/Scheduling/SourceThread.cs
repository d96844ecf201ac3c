using System.Collections.Concurrent;

namespace ProcessPool.Scheduling;

/// <summary>
/// The thread of one map's synchronous source that may block (an iterator, a queue's consuming
/// enumerable): every MoveNext and the final Dispose run on it, so an iterator that holds a lock or
/// thread-local state across its items works as it would in a foreach, and a MoveNext that waits (for
/// the consumer, perhaps) never blocks the map. A map that ends while MoveNext waits does not wait for
/// it: the thread disposes of the source when MoveNext returns, and ends.
/// </summary>
internal sealed class SourceThread<T>
{
    private readonly BlockingCollection<BlockingRead<T>> _reads = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SourceThread(SynchronousSource<T>.Enumerator source)
    {
        new Thread(() => Run(source)) { IsBackground = true, Name = "ProcessPool map source" }.Start();
    }

    /// <summary>Starts reading up to <paramref name="size"/> items.</summary>
    public BlockingRead<T> Read(int size)
    {
        var read = new BlockingRead<T>(size);
        _reads.Add(read);
        return read;
    }

    /// <summary>No more reads: completes once the source is disposed of (with its exception, if Dispose throws).</summary>
    public Task CloseAsync()
    {
        _reads.CompleteAdding();
        return _closed.Task;
    }

    private void Run(SynchronousSource<T>.Enumerator source)
    {
        try
        {
            foreach (var read in _reads.GetConsumingEnumerable())
            {
                read.Run(source);
            }
        }
        finally
        {
            try
            {
                source.Dispose();
                _closed.TrySetResult();
            }
            catch (Exception e)
            {
                _closed.TrySetException(e);
            }

            _reads.Dispose();
        }
    }
}

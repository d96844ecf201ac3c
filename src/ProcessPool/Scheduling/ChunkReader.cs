namespace ProcessPool.Scheduling;

/// <summary>What a read of the source left the map with.</summary>
internal enum SourceState
{
    /// <summary>A full chunk.</summary>
    Full,

    /// <summary>The source has ended; the items (maybe none) are its last.</summary>
    Ended,

    /// <summary>
    /// The source has nothing ready (a read is under way, <see cref="ChunkReader{T}.Pending"/>): the items
    /// read so far (maybe none) go now, so that a slow source adds no latency.
    /// </summary>
    Waiting,
}

/// <summary>
/// Reads a map's source chunk by chunk, never waiting for an item while it holds some: an
/// asynchronous source whose next item is not ready ends the chunk early, and a synchronous source that
/// may block (one that does not know its length: an iterator, a queue) is read on the thread pool, so
/// the map hands out results while it waits. Fast sources (items ready at once, in-memory collections)
/// still fill whole chunks, read in a plain loop on the map's thread.
/// </summary>
internal sealed class ChunkReader<T>(IAsyncEnumerator<T> enumerator, Clock clock)
{
    /// <summary>How long a chunk of a source that may block waits to fill before it goes partial: about a chunk's target cost in the worker.</summary>
    private static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(2);

    private Task<bool>? _pending;
    private SourceThread<T>? _thread;
    private BlockingRead<T>? _blocking;

    /// <summary>The read under way after <see cref="SourceState.Waiting"/>; completes when the source has moved on.</summary>
    public Task? Pending => (Task?)_pending ?? _blocking?.Task;

    /// <summary>Reads up to <paramref name="size"/> items into <paramref name="items"/>.</summary>
    public async ValueTask<SourceState> ReadAsync(List<T> items, int size)
    {
        items.Clear();
        if (enumerator is SynchronousSource<T>.Enumerator synchronous)
        {
            if (!synchronous.MayBlock)
            {
                return synchronous.ReadChunk(items, size) ? SourceState.Ended : SourceState.Full; // no await per item
            }

            return await ReadBlockingAsync(synchronous, items, size).ConfigureAwait(false);
        }

        while (items.Count < size)
        {
            bool more;
            if (_pending is { } pending)
            {
                if (!pending.IsCompleted)
                {
                    return SourceState.Waiting;
                }

                _pending = null;
                more = await pending.ConfigureAwait(false); // done: no wait
            }
            else
            {
                var next = enumerator.MoveNextAsync();
                if (!next.IsCompleted)
                {
                    _pending = next.AsTask(); // only a source that is not ready pays for this
                    return SourceState.Waiting;
                }

                more = await next.ConfigureAwait(false); // done: no wait
            }

            if (!more)
            {
                return SourceState.Ended;
            }

            items.Add(enumerator.Current);
        }

        return SourceState.Full;
    }

    /// <summary>
    /// A synchronous source that may block is read on a thread of its own (a MoveNext that blocks must
    /// not block the map: the consumer may be what it waits for). A chunk not read within
    /// <see cref="FlushDelay"/> goes with what has arrived.
    /// </summary>
    private async ValueTask<SourceState> ReadBlockingAsync(SynchronousSource<T>.Enumerator source, List<T> items, int size)
    {
        while (true)
        {
            var read = _blocking ??= (_thread ??= new SourceThread<T>(source)).Read(size - items.Count);
            if (!read.Task.IsCompleted)
            {
                await Task.WhenAny(read.Task, clock.Delay(FlushDelay)).ConfigureAwait(false);
            }

            if (!read.Task.IsCompleted)
            {
                read.Cut(items); // still in MoveNext: what has arrived goes now
                return SourceState.Waiting;
            }

            _blocking = null;
            read.TakeRest(items);
            if (await read.Task.ConfigureAwait(false))
            {
                return SourceState.Ended;
            }

            if (items.Count >= size)
            {
                return SourceState.Full;
            }
        }
    }

    /// <summary>
    /// Lets a read under way finish (the map's cancellation ends an async source that observes it), then
    /// disposes of the source. A synchronous source's thread is not waited for while its MoveNext waits:
    /// it disposes of the source itself when MoveNext returns.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_thread is { } thread)
        {
            var closed = thread.CloseAsync();
            if (_blocking is { Task.IsCompleted: false })
            {
                _ = closed.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default); // the map has ended without it
                return;
            }

            await closed.ConfigureAwait(false);
            return;
        }

        if (_pending is { } pending)
        {
            await Task.WhenAny(pending).ConfigureAwait(false);
            _ = pending.Exception; // observed: the map has ended, with or without it
        }

        await enumerator.DisposeAsync().ConfigureAwait(false);
    }
}

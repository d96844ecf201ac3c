using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using MessagePack;
using ProcessPool.Invocation;
using ProcessPool.Protocol;
using ProcessPool.Serialization;

namespace ProcessPool.Scheduling;

/// <summary>Writes one source item as a call's arguments.</summary>
internal delegate void ItemWriter<TItem>(ref MessagePackWriter writer, TItem item, PayloadOptions options);

/// <summary>
/// Runs one Map: reads the source lazily, a window of chunks ahead of the consumer and never more
/// than the in-flight limit, and yields results in input order (or completion order). When the
/// consumer stops early, an item fails or the deadline passes, what has not finished is cancelled.
/// </summary>
internal sealed class MapRunner<TItem, TResult>
{
    private readonly Scheduler _scheduler;
    private readonly PreparedCall _target;
    private readonly ItemWriter<TItem> _writeItem;
    private readonly MapOptions _options;
    private readonly ProcessPoolOptions _poolOptions;
    private readonly CallPolicy _policy;
    private readonly long _startedAt;

    // The executor: while a map runs, its pool must not be finalized (and shut down) under it.
    private readonly object _owner;

    public MapRunner(object owner, Scheduler scheduler, PreparedCall target, ItemWriter<TItem> writeItem, MapOptions? options, ProcessPoolOptions poolOptions, CallPolicy policy)
    {
        _owner = owner;
        _scheduler = scheduler;
        _target = target;
        _writeItem = writeItem;
        _options = options ?? new MapOptions();
        _poolOptions = poolOptions;
        _policy = policy.With(_options);
        _startedAt = scheduler.Clock.Now;
    }

    /// <summary>The map's results, one by one.</summary>
    public IAsyncEnumerable<TResult> RunAsync(IAsyncEnumerable<TItem> source, bool ordered, CancellationToken cancellationToken) =>
        new Results(this, source, ordered, cancellationToken);

    /// <summary>The map's results chunk by chunk; the error of a failed item comes after the results before it.</summary>
    private async IAsyncEnumerable<TResult[]> RunChunksAsync(IAsyncEnumerable<TItem> source, bool ordered, Run run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var deadline = _options.Timeout is { } timeout && timeout != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(Remaining(timeout), _scheduler.Clock.Time)
            : null;
        using var map = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline?.Token ?? default);

        var chunks = new Queue<ChunkCall<TResult>>();
        var completed = Channel.CreateUnbounded<ChunkCall<TResult>>(new UnboundedChannelOptions { SingleReader = true });
        int outstanding = 0;
        var items = new List<TItem>();
        MapShutdown? shutdown = null; // set once the pool has shut down under the map
        var reader = new ChunkReader<TItem>(source.GetAsyncEnumerator(map.Token), _scheduler.Clock);
        try
        {
            bool sourceDone = false;
            while (true)
            {
                while (!sourceDone && HasRoom(run))
                {
                    var state = await ReadChunkAsync(reader, items, run.Sizer.ChunkSize, cancellationToken).ConfigureAwait(false);
                    sourceDone = state == SourceState.Ended;
                    if (items.Count == 0)
                    {
                        break;
                    }

                    run.ItemsRead += items.Count;
                    ChunkCall<TResult> chunk;
                    try
                    {
                        chunk = Submit(run.Buffer, items, map.Token);
                    }
                    catch (ObjectDisposedException) when (_scheduler.IsShutdown)
                    {
                        // What was submitted still runs and is yielded; nothing more is read.
                        (shutdown ??= AccountForShutdown(source, run)).Refused(items.Count);
                        sourceDone = true;
                        break;
                    }

                    run.ItemsInFlight += items.Count;
                    outstanding++;
                    if (ordered)
                    {
                        chunks.Enqueue(chunk);
                    }
                    else
                    {
                        _ = chunk.Task.ContinueWith((_, state) => ((Channel<ChunkCall<TResult>>)state!).Writer.TryWrite(chunk), completed, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }

                    if (state == SourceState.Waiting)
                    {
                        break; // a partial chunk went: the source has nothing more ready
                    }
                }

                if (outstanding == 0)
                {
                    if (shutdown is not null)
                    {
                        throw shutdown.ToException(run.ItemsFinished);
                    }

                    if (!sourceDone && reader.Pending is { } reading)
                    {
                        await Task.WhenAny(reading).ConfigureAwait(false); // its outcome (or failure) is read next round
                        continue;
                    }

                    yield break;
                }

                if (!sourceDone && reader.Pending is { } pending && HasRoom(run))
                {
                    // The source had nothing ready: read again as soon as it has (at once if it has by now),
                    // and hand out results meanwhile.
                    if (pending.IsCompleted)
                    {
                        continue;
                    }

                    var ready = ordered ? (Task)chunks.Peek().Task : completed.Reader.WaitToReadAsync(map.Token).AsTask();
                    if (await Task.WhenAny(pending, ready).ConfigureAwait(false) == pending && !ready.IsCompleted)
                    {
                        continue;
                    }
                }

                var next = ordered ? chunks.Dequeue() : await NextCompletedAsync(completed, map.Token, cancellationToken).ConfigureAwait(false);
                outstanding--;
                if (await AwaitChunkAsync(next, map.Token, cancellationToken).ConfigureAwait(false) is not { } outcome)
                {
                    // Cancelled by the pool's shutdown (cancelPending) before it started: not run.
                    (shutdown ??= AccountForShutdown(source, run)).CanceledByShutdown(next.ItemCount);
                    run.ItemsInFlight -= next.ItemCount;
                    sourceDone = true;
                    continue;
                }

                run.ItemsFinished += outcome.Results.Length;
                run.Sizer.Observe(outcome.Results.Length + (outcome.Error is null ? 0 : 1), outcome.WorkerTime);
                if (outcome.Results.Length > 0)
                {
                    yield return outcome.Results; // the consumer takes its items one by one (Results), counting them off run.ItemsInFlight
                }

                if (outcome.Error is { } error)
                {
                    ExceptionDispatchInfo.Throw(error);
                }
            }
        }
        finally
        {
            // Early exit, failure or deadline: withdraw queued chunks and signal running ones.
            await map.CancelAsync().ConfigureAwait(false);
            await reader.DisposeAsync().ConfigureAwait(false);
            GC.KeepAlive(_owner);
        }
    }

    /// <summary>Whether another chunk may be read: never more than MaxInFlight items ahead of the consumer.</summary>
    private static bool HasRoom(Run run) => run.ItemsInFlight == 0 || run.ItemsInFlight + run.Sizer.ChunkSize <= run.Sizer.MaxInFlight;

    /// <summary>Starts the account of a map the pool refused: how much of the source was left unread, if the source can tell.</summary>
    private static MapShutdown AccountForShutdown(IAsyncEnumerable<TItem> source, Run run) =>
        new() { Unread = (source as SynchronousSource<TItem>)?.Count is { } count ? Math.Max(0, count - run.ItemsRead) : null };

    private TimeSpan Remaining(TimeSpan timeout)
    {
        var left = timeout - _scheduler.Clock.Elapsed(_startedAt, _scheduler.Clock.Now);
        return left > TimeSpan.Zero ? left : TimeSpan.FromTicks(1);
    }

    private async ValueTask<SourceState> ReadChunkAsync(ChunkReader<TItem> reader, List<TItem> items, int size, CancellationToken callerToken)
    {
        try
        {
            return await reader.ReadAsync(items, size).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!callerToken.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs per item: optimised from the first map, not after tiering
    private ChunkCall<TResult> Submit(FrameBuffer buffer, List<TItem> items, CancellationToken token)
    {
        buffer.Clear();
        buffer.Write(_target.Payload.Span);
        var options = _policy.Payload.BeginWrite(sharedMemory: true);
        var scope = options.Writing;
        byte[] payload;
        try
        {
            var writer = new MessagePackWriter(buffer);
            foreach (var item in items)
            {
                _writeItem(ref writer, item, options);
            }

            writer.Flush();
            payload = PreparedCall.Check(buffer.WrittenSpan, "items of one chunk");
        }
        catch
        {
            scope.DeleteCreated();
            throw;
        }

        // A chunk the caller asked for has a budget of one item's timeout per item (see MapOptions.TaskTimeout).
        var policy = _policy.Timeout is { } perItem && items.Count > 1 ? _policy with { Timeout = perItem * items.Count } : _policy;
        var chunk = new ChunkCall<TResult>(_target with { Payload = payload, Segments = scope.TakeCreated() }, items.Count, policy, token);
        try
        {
            _scheduler.Enqueue(chunk);
        }
        catch
        {
            scope.DeleteCreated(); // the pool shut down under the map
            throw;
        }

        return chunk;
    }

    // Waits use the map's token (deadline or caller), so they end on time even when a running item
    // ignores cancellation.
    private async ValueTask<ChunkCall<TResult>> NextCompletedAsync(Channel<ChunkCall<TResult>> completed, CancellationToken mapToken, CancellationToken callerToken)
    {
        try
        {
            return await completed.Reader.ReadAsync(mapToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (TimedOutBy(mapToken, callerToken))
        {
            throw TimedOut(e);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(callerToken);
        }
    }

    /// <summary>The chunk's outcome; null if a graceful shutdown of the pool cancelled it before it started.</summary>
    private async ValueTask<ChunkOutcome<TResult>?> AwaitChunkAsync(ChunkCall<TResult> chunk, CancellationToken mapToken, CancellationToken callerToken)
    {
        try
        {
            return await chunk.Task.WaitAsync(mapToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!mapToken.IsCancellationRequested && _scheduler.IsShutdown && !_scheduler.IsAborted)
        {
            // Not the map's doing, nor a forced shutdown's (Ctrl-C and the kills end the map cancelled, as
            // they end every task): ShutdownAsync with cancelPending withdrew it.
            return null;
        }
        catch (OperationCanceledException e) when (TimedOutBy(mapToken, callerToken))
        {
            throw TimedOut(e);
        }
        catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(callerToken);
        }
    }

    // The map's own deadline passed: not the caller's cancellation, and not a forced shutdown's
    // (KillWorkers, Ctrl-C, an expired bounded shutdown end the map cancelled, as they end every task).
    private bool TimedOutBy(CancellationToken mapToken, CancellationToken callerToken) =>
        _options.Timeout is not null && mapToken.IsCancellationRequested && !callerToken.IsCancellationRequested && !_scheduler.IsAborted;

    private TimeoutException TimedOut(Exception inner) =>
        new($"The map did not finish within its timeout of {_options.Timeout}; what had not finished was cancelled.", inner);

    /// <summary>
    /// The results one by one over the chunks <see cref="RunChunksAsync"/> yields: per item an array
    /// index, per chunk the asynchronous machinery. A map of a million tiny items spends its time in
    /// the items, not in a compiler-generated state machine.
    /// </summary>
    private sealed class Results(MapRunner<TItem, TResult> runner, IAsyncEnumerable<TItem> source, bool ordered, CancellationToken cancellationToken) : IAsyncEnumerable<TResult>
    {
        public IAsyncEnumerator<TResult> GetAsyncEnumerator(CancellationToken enumeratorToken = default)
        {
            var run = new Run(new ChunkSizer(runner._options, runner._poolOptions.MaxWorkers, oneItemPerTask: runner._poolOptions.MaxTasksPerWorker is not null || runner._policy.Timeout is not null));
            return new Enumerator(run, runner.RunChunksAsync(source, ordered, run, cancellationToken).GetAsyncEnumerator(enumeratorToken), cancellationToken, enumeratorToken);
        }

        private sealed class Enumerator(Run run, IAsyncEnumerator<TResult[]> chunks, CancellationToken cancellationToken, CancellationToken enumeratorToken)
            : IAsyncEnumerator<TResult>
        {
            private TResult[] _chunk = [];
            private int _next;

            public TResult Current { get; private set; } = default!;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public ValueTask<bool> MoveNextAsync()
            {
                if (_next < _chunk.Length)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    enumeratorToken.ThrowIfCancellationRequested();
                    Current = _chunk[_next++];
                    run.ItemsInFlight--;
                    return new ValueTask<bool>(true);
                }

                return NextChunkAsync();
            }

            public ValueTask DisposeAsync() => chunks.DisposeAsync();

            private async ValueTask<bool> NextChunkAsync()
            {
                if (!await chunks.MoveNextAsync().ConfigureAwait(false))
                {
                    return false;
                }

                _chunk = chunks.Current;
                _next = 0;
                return await MoveNextAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The state of one enumeration of the map: enumerating it again starts afresh.</summary>
    private sealed class Run(ChunkSizer sizer)
    {
        public ChunkSizer Sizer { get; } = sizer;

        public FrameBuffer Buffer { get; } = new();

        /// <summary>Items read from the source and not yet handed to the consumer.</summary>
        public int ItemsInFlight { get; set; }

        /// <summary>Items read from the source so far.</summary>
        public long ItemsRead { get; set; }

        /// <summary>Items whose results came back.</summary>
        public long ItemsFinished { get; set; }
    }
}

using ProcessPool.Workers;

namespace ProcessPool.Tests.Scheduling.Fakes;

/// <summary>
/// Starts <see cref="FakeWorker"/>s at once, or, while <see cref="Hold"/> is on, when the test
/// <see cref="Release"/>s them; or fails them with <see cref="FailStartsWith"/>.
/// </summary>
internal sealed class FakeWorkers : IWorkerFactory
{
    private readonly Lock _gate = new();
    private readonly List<FakeWorker> _started = [];
    private readonly Queue<(int Id, IWorkerEvents Events, TaskCompletionSource<IWorker> Start)> _held = new();
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pp-fake-");

    public string SegmentDirectory => _directory.FullName;

    /// <summary>Workers wait to start until released.</summary>
    public bool Hold { get; set; }

    /// <summary>Starts fail with this exception.</summary>
    public Exception? FailStartsWith { get; set; }

    public int StartsRequested { get; private set; }

    public bool KilledStarting { get; private set; }

    public bool Disposed { get; private set; }

    public IReadOnlyList<FakeWorker> Started
    {
        get
        {
            lock (_gate)
            {
                return [.. _started];
            }
        }
    }

    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held.Count;
            }
        }
    }

    public FakeWorker this[int index] => Started[index];

    public Task<IWorker> StartAsync(int workerId, IWorkerEvents events)
    {
        lock (_gate)
        {
            StartsRequested++;
            if (FailStartsWith is { } error)
            {
                return Task.FromException<IWorker>(error);
            }

            if (Hold)
            {
                var start = new TaskCompletionSource<IWorker>(TaskCreationOptions.RunContinuationsAsynchronously);
                _held.Enqueue((workerId, events, start));
                return start.Task;
            }

            return Task.FromResult<IWorker>(Add(workerId, events));
        }
    }

    /// <summary>Lets the next held worker start.</summary>
    public void Release()
    {
        (int Id, IWorkerEvents Events, TaskCompletionSource<IWorker> Start) held;
        FakeWorker worker;
        lock (_gate)
        {
            held = _held.Dequeue();
            worker = Add(held.Id, held.Events);
        }

        held.Start.SetResult(worker);
    }

    public void KillStarting() => KilledStarting = true;

    public void Dispose()
    {
        Disposed = true;
        _directory.Delete(recursive: true);
    }

    private FakeWorker Add(int id, IWorkerEvents events)
    {
        var worker = new FakeWorker(id, events);
        _started.Add(worker);
        return worker;
    }
}

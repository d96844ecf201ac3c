using ProcessPool.Serialization;
using ProcessPool.Workers;

namespace ProcessPool.Scheduling;

/// <summary>
/// Workers' lives: starting them (and giving up when none can start), recycling (condemn, then retire
/// once idle, with the replacement started at once), killing those over the memory limit, and what
/// follows a worker's exit: its calls requeued or ended, and a replacement started.
/// </summary>
internal sealed class WorkerLifetime(SchedulerState state, Dispatcher dispatcher, Deadlines deadlines, Outcomes outcomes, IWorkerEvents events)
{
    private const int MaxConsecutiveStartFailures = 3;
    private static readonly TimeSpan MemorySamplePeriod = TimeSpan.FromMilliseconds(50);

    private ITimer? _memorySampler;

    /// <summary>
    /// Counts as starting the workers it takes for <paramref name="count"/> to take calls or be starting;
    /// returns how many the caller starts (<see cref="StartWorkers"/>) once it has left the lock.
    /// </summary>
    public int StartUpToLocked(int count)
    {
        state.AssertHeld();
        int starts = state.Broken is null ? Math.Max(0, Math.Min(count, state.Options.MaxWorkers) - (state.ActiveLocked + state.Starting)) : 0;
        state.Starting += starts;
        return starts;
    }

    public void StartWorkers(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = StartWorkerAsync();
        }
    }

    /// <summary>
    /// The worker takes no more calls and leaves once idle. Its replacement starts now, while it finishes
    /// its last calls, so that recycling costs no start-up latency. Returns the workers to start (0 or 1).
    /// </summary>
    public int CondemnLocked(WorkerSlot worker)
    {
        state.AssertHeld();
        if (worker.State != WorkerState.Active)
        {
            return 0;
        }

        worker.State = WorkerState.Condemned;
        worker.Replaced = true;
        state.Condemned++;
        if (worker.IsIdle)
        {
            RetireLocked(worker);
        }

        if (state.Shutdown || !state.CanGrowLocked)
        {
            return 0;
        }

        state.Starting++;
        return 1;
    }

    /// <summary>Tells a worker to leave; it is no longer the scheduler's to use, and its exit is expected.</summary>
    public void RetireLocked(WorkerSlot worker)
    {
        state.AssertHeld();
        if (worker.State is WorkerState.Retiring or WorkerState.Gone)
        {
            return; // already told (a worker condemned while idle is retired at once, and again when its last reply is handled)
        }

        worker.State = WorkerState.Retiring;
        RemoveLocked(worker);
        state.Retiring.Add(worker);
        worker.Worker.SendShutdown();
    }

    /// <summary>Tells every worker to leave (the pool is drained).</summary>
    public void RetireAllLocked()
    {
        state.AssertHeld();
        foreach (var worker in state.Workers)
        {
            if (worker.State != WorkerState.Gone)
            {
                worker.State = WorkerState.Retiring;
            }

            worker.Worker.SendShutdown();
            state.Retiring.Add(worker);
        }

        state.Workers.Clear();
        state.Condemned = 0;
    }

    /// <summary>Stops sampling memory (the pool has closed).</summary>
    public void CloseLocked() => _memorySampler?.Dispose();

    /// <summary>
    /// The channel to a worker closed: waits for the process to end (killing it if it lingers), then
    /// decides the fate of its calls. The one it was running ends as <see cref="Outcomes"/> decides; those
    /// queued behind it go back to the front of the queue, and a replacement starts.
    /// </summary>
    public void OnDisconnected(IWorker channel, Exception? error)
    {
        bool expected;
        WorkerSlot worker;
        lock (state.Gate)
        {
            worker = state.Slots[channel.Id];
            expected = worker.State == WorkerState.Retiring;
            worker.State = WorkerState.Gone; // from now on nothing is sent to it
        }

        // A frame cut short (the worker died while writing it) is a crash like any other; a malformed
        // frame is a protocol error, and a worker that sends one is not trusted to leave on its own.
        bool malformed = error is ProtocolException { CutShort: false };
        var exit = channel.Reap(killFirst: malformed);
        long killedAtMemory;
        lock (state.Gate)
        {
            killedAtMemory = worker.Killed.AtMemory;
        }

        // An exception the worker reported, just before dying, as thrown outside any call.
        var outside = !malformed && killedAtMemory == 0 && channel.Unhandled is { } report ? new CrashOutsideTask(report, state.Options.AllowedTypes) : null;
        string? cause = killedAtMemory > 0
            ? $"the pool killed it because its memory ({killedAtMemory >> 20:N0} MiB) passed ProcessPoolOptions.WorkerMemoryLimit ({state.Options.WorkerMemoryLimit.GetValueOrDefault() >> 20:N0} MiB)"
            : outside?.Cause(repeated: false);
        WorkerCrashedException Crash(string? cause) =>
            new(worker.Id, channel.ProcessId, exit.ExitCode, exit.Signal, exit.StandardErrorTail, cause, outside?.Exception, outside?.Thread);
        Exception crash = malformed && error is ProtocolException protocolError
            ? new ProtocolException($"{channel.Name} sent a malformed message while running this task, so it was killed: {protocolError.Message}", protocolError)
            : Crash(cause);

        Call? running = null;
        var runningOutcome = CrashOutcome.Crashed;
        var canceled = new List<Call>();
        Pumped pumped;
        int ending;
        lock (state.Gate)
        {
            RemoveLocked(worker);
            state.Retiring.Remove(worker);
            state.Slots.Remove(worker.Id);
            var orphans = worker.InFlight.Values.OrderBy(c => c.SendOrder).ToList();
            worker.InFlight.Clear();
            if (orphans.Count > 0)
            {
                running = orphans[0];
                runningOutcome = outcomes.OnRunningCallLostLocked(worker, running, crash, outside is not null);
                for (int i = orphans.Count - 1; i >= 1; i--)
                {
                    if (!outcomes.RequeueOrphanLocked(orphans[i]))
                    {
                        canceled.Add(orphans[i]);
                    }
                }
            }

            // A worker that died before doing anything counts as a failed start, unless it was killed
            // (by the pool, or by SIGKILL from outside, as chaos testing and the OOM killer do).
            if (!expected && running is null && worker.TasksCompleted == 0 && exit.Signal != 9 && !worker.Killed.ByPool)
            {
                state.StartFailures++;
            }

            pumped = dispatcher.PumpLocked();
            if (!expected && pumped.Starts == 0 && !state.Shutdown && state.CanGrowLocked && state.StartFailures < MaxConsecutiveStartFailures)
            {
                state.Starting++;
                pumped = pumped with { Starts = 1 }; // keep the pool at strength after a crash
            }

            ending = canceled.Count + (running is not null && runningOutcome != CrashOutcome.Retried ? 1 : 0);
            state.BeginEndingLocked(ending);
            state.CheckDrainedLocked();
            state.CheckExitedLocked();
        }

        if (outside is not null)
        {
            channel.WriteError(outside.Note(running, runningOutcome)); // reported even when no task fails for it
        }

        // Its segments: results never read, free ones. Buffers the parent still holds keep their mapping.
        SharedMemory.DeleteAll(state.Factory.SegmentDirectory, SegmentNames.Result(worker.Id));
        if (running is not null)
        {
            Outcomes.EndLost(running, runningOutcome, worker, crash, () => Crash(outside!.Cause(repeated: true)));
        }

        canceled.ForEach(c => c.Cancel());
        state.Ended(ending);
        channel.Dispose();
        dispatcher.Release(pumped);
    }

    private void RemoveLocked(WorkerSlot worker)
    {
        state.AssertHeld();
        if (state.Workers.Remove(worker) && worker.Replaced)
        {
            state.Condemned--;
        }
    }

    private async Task StartWorkerAsync()
    {
        int id = Interlocked.Increment(ref state.LastWorkerId);
        IWorker channel;
        try
        {
            channel = await state.Factory.StartAsync(id, events).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            OnStartFailed(e);
            return;
        }

        var pumped = default(Pumped);
        WorkerSlot worker;
        lock (state.Gate)
        {
            state.Starting--;
            worker = new WorkerSlot(channel, state.Clock.Now);
            state.Slots.Add(id, worker);
            if (state.Shutdown && state.Queue.Count == 0)
            {
                worker.State = WorkerState.Retiring;
                state.Retiring.Add(worker);
            }
            else
            {
                state.Workers.Add(worker);
                if (state.Options.WorkerMemoryLimit is not null)
                {
                    _memorySampler ??= state.Clock.CreatePeriodicTimer(SampleMemory, MemorySamplePeriod);
                }

                deadlines.WatchIdleLocked(worker);
                pumped = dispatcher.PumpLocked();
                dispatcher.RebalanceLocked(); // an idle newcomer takes calls waiting behind a long one
                state.Readiness.OnStartedLocked(state.ActiveLocked);
            }
        }

        channel.Start();
        if (worker.State == WorkerState.Retiring)
        {
            channel.SendShutdown();
        }

        dispatcher.Release(pumped);
    }

    private void OnStartFailed(Exception error)
    {
        var failed = new List<Call>();
        var pumped = default(Pumped);
        lock (state.Gate)
        {
            state.Starting--;
            state.Readiness.FailAllLocked(error);
            if (error is WorkerInitializationException)
            {
                state.Broken ??= error;
            }
            else
            {
                state.StartFailures++;
            }

            // With no worker able to start, fail what waits instead of retrying for ever.
            if (state.Broken is not null || (state.StartFailures >= MaxConsecutiveStartFailures && state.Workers.Count == 0 && state.Starting == 0))
            {
                state.StartFailures = 0;
                failed = state.Queue.TakeAll();
            }
            else
            {
                pumped = dispatcher.PumpLocked();
            }

            state.BeginEndingLocked(failed.Count);
            state.CheckDrainedLocked();
            state.CheckExitedLocked();
        }

        failed.ForEach(c => c.Fail(state.Broken ?? error));
        state.Ended(failed.Count);
        dispatcher.Release(pumped);
    }

    /// <summary>
    /// Every <see cref="MemorySamplePeriod"/> with <see cref="ProcessPoolOptions.WorkerMemoryLimit"/> set:
    /// reads the resident memory of the busy workers (outside the lock: it is file I/O) and kills those
    /// above the cap. Their running task fails as a crash that says why.
    /// </summary>
    private void SampleMemory()
    {
        long limit = state.Options.WorkerMemoryLimit.GetValueOrDefault(long.MaxValue);
        List<WorkerSlot> busy;
        lock (state.Gate)
        {
            busy = state.Workers.FindAll(w => !w.IsIdle && w.State != WorkerState.Gone && w.Killed.AtMemory == 0);
        }

        foreach (var worker in busy)
        {
            long resident = worker.Worker.ResidentBytes();
            if (resident <= limit)
            {
                continue;
            }

            lock (state.Gate)
            {
                if (worker.State == WorkerState.Gone || worker.Killed.AtMemory != 0)
                {
                    continue;
                }

                worker.Killed.AtMemory = resident;
            }

            worker.Worker.Kill();
        }
    }
}

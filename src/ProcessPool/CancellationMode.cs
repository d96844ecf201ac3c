namespace ProcessPool;

/// <summary>
/// What cancelling a task that is already running in a worker does. Chosen for the pool
/// (<see cref="ProcessPoolOptions.CancellationMode"/>), and per task (<see cref="TaskOptions.CancellationMode"/>)
/// or per map (<see cref="MapOptions.CancellationMode"/>), which override the pool's choice.
/// </summary>
public enum CancellationMode
{
    /// <summary>
    /// Signal the task's token in the worker and let the task decide: it may end cancelled, or finish
    /// anyway with its result. A task not yet started is withdrawn either way.
    /// </summary>
    Signal = 0,

    /// <summary>
    /// Signal the task's token, wait <see cref="TaskOptions.KillGracePeriod"/> (by default
    /// <see cref="ProcessPoolOptions.KillGracePeriod"/>), then, if it is still
    /// running, kill its worker process (the pool starts a replacement). The task ends cancelled.
    /// For code that may not honour its token: loops that never check it, blocking native calls.
    /// </summary>
    Kill = 1,
}

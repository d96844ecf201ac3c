using ProcessPool.Serialization;

namespace ProcessPool.Scheduling;

/// <summary>
/// What the scheduler enforces for one call, resolved once from the task's (or map's) options and the
/// pool's defaults: its timeout, how long it may linger before its worker is killed, what cancelling
/// it does while it runs, and whether a crash re-runs it; and the pool's serialization context, with
/// which its payloads are written and its results read.
/// </summary>
internal sealed record CallPolicy(TimeSpan? Timeout, TimeSpan KillGracePeriod, CancellationMode CancellationMode, RetryPolicy? Retry, PayloadContext Payload)
{
    /// <summary>The pool's policy; <paramref name="payload"/> null: the pool's allowed types, arrays inline.</summary>
    public static CallPolicy ForPool(ProcessPoolOptions pool, PayloadContext? payload = null) =>
        new(Validate.Finite(pool.TaskTimeout), pool.KillGracePeriod, pool.CancellationMode, pool.RetryPolicy, payload ?? new PayloadContext(pool.AllowedTypes, segments: null));

    /// <summary>The pool's <see cref="ProcessPoolOptions.AllowedTypes"/>.</summary>
    public ISet<Type> AllowedTypes => Payload.AllowedTypes!;

    /// <summary>The pool's policy with what <paramref name="task"/> sets; no allocation when it sets nothing.</summary>
    public CallPolicy With(TaskOptions? task)
    {
        if (task is null)
        {
            return this;
        }

        return new CallPolicy(
            task.Timeout is { } timeout ? Validate.Finite(timeout) : Timeout,
            task.KillGracePeriod ?? KillGracePeriod,
            task.CancellationMode ?? CancellationMode,
            task.RetryPolicy ?? Retry,
            Payload);
    }

    public CallPolicy With(MapOptions map) =>
        map.TaskTimeout is null && map.RetryPolicy is null && map.CancellationMode is null
            ? this
            : this with
            {
                Timeout = map.TaskTimeout is { } timeout ? Validate.Finite(timeout) : Timeout,
                CancellationMode = map.CancellationMode ?? CancellationMode,
                Retry = map.RetryPolicy ?? Retry,
            };

    /// <summary>Whether a crash during attempt <paramref name="attempt"/> is followed by another attempt.</summary>
    public bool MayRetryAfterCrash(int attempt) => Retry is { } retry && attempt < retry.MaxAttempts;
}

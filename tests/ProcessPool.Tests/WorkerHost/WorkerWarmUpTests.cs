using ProcessPool.WorkerHost;

namespace ProcessPool.Tests.WorkerHost;

public sealed class WorkerWarmUpTests
{
    [Fact]
    public void The_rehearsal_defines_runs_and_answers_its_call()
    {
        // It swallows its own failures (it is only a warm-up), so a rehearsal that silently stopped
        // rehearsing would only show as a slower first call: this says it still runs to the end.
        Assert.True(WorkerWarmUp.Rehearse());
    }
}

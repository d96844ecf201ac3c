using System.Diagnostics;
using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

public sealed class TimestampsTests
{
    [Fact]
    public void Long_delays_are_finite_deadlines_and_only_the_impossible_is_never()
    {
        long now = Stopwatch.GetTimestamp();
        long in20Minutes = Timestamps.After(now, TimeSpan.FromMinutes(20), Stopwatch.Frequency);
        Assert.NotEqual(long.MaxValue, in20Minutes);
        Assert.Equal(TimeSpan.FromMinutes(20).TotalSeconds, Stopwatch.GetElapsedTime(now, in20Minutes).TotalSeconds, 3);
        Assert.Equal(long.MaxValue, Timestamps.After(now, TimeSpan.MaxValue, Stopwatch.Frequency));
    }

    [Fact]
    public void Waits_longer_than_a_timer_takes_are_cut_to_what_it_takes()
    {
        Assert.Equal(Timestamps.LongestWait, Timestamps.Bounded(TimeSpan.FromDays(365)));
        Assert.Equal(TimeSpan.FromSeconds(1), Timestamps.Bounded(TimeSpan.FromSeconds(1)));
        _ = Task.Delay(Timestamps.LongestWait, new CancellationToken(canceled: true)); // accepted, not thrown
    }
}

using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

public sealed class CallWindowTests
{
    [Fact]
    public void A_new_worker_holds_two_calls_until_it_has_been_timed()
    {
        Assert.Equal(2, new CallWindow().Size);
    }

    [Fact]
    public void Tiny_calls_open_the_window_and_slow_calls_close_it()
    {
        var window = new CallWindow();
        for (int i = 0; i < 50; i++)
        {
            window.Observe(TimeSpan.FromMicroseconds(2).Ticks);
        }

        Assert.Equal(CallWindow.Max, window.Size); // ~1 ms of work queued is hundreds of tiny calls

        for (int i = 0; i < 100; i++)
        {
            window.Observe(TimeSpan.FromMilliseconds(2).Ticks);
        }

        Assert.Equal(2, window.Size); // the next call waits in the channel, so it starts without a round trip

        for (int i = 0; i < 100; i++)
        {
            window.Observe(TimeSpan.FromMilliseconds(50).Ticks);
        }

        Assert.Equal(1, window.Size); // a long call never waits behind another while a worker could take it
    }

    [Fact]
    public void Calls_of_a_tenth_of_a_millisecond_get_about_ten_places()
    {
        var window = new CallWindow();
        for (int i = 0; i < 100; i++)
        {
            window.Observe(TimeSpan.FromMicroseconds(100).Ticks);
        }

        Assert.InRange(window.Size, 9, 11);
    }
}

using ProcessPool.Scheduling;

namespace ProcessPool.Tests.Scheduling;

/// <summary>
/// The message a map cut short by a shutdown ends with. With real worker processes: <see
/// cref="ShutdownTests"/>.
/// </summary>
public sealed class MapShutdownMessageTests
{
    [Fact]
    public void A_source_that_knows_its_length_gives_the_number_of_items_not_run()
    {
        var account = new MapShutdown { Unread = 36 };
        account.Refused(1);
        Assert.Equal(
            "The pool was shut down while this map was running: 37 items were not run; the 63 submitted before the shutdown finished.",
            account.ToException(63).Message.Split(Environment.NewLine)[0]);
    }

    [Fact]
    public void A_lazy_source_is_not_read_to_count_its_rest()
    {
        var account = new MapShutdown();
        account.Refused(1);
        account.CanceledByShutdown(2);
        Assert.Equal(
            "The pool was shut down while this map was running: 3 items read from the source were not run, nor was the rest of the source; of the 12 submitted before the shutdown, 10 finished and 2 were cancelled by it.",
            account.ToException(10).Message.Split(Environment.NewLine)[0]);
    }
}

using System.Globalization;

namespace ProcessPool.Scheduling;

/// <summary>
/// The account of a map whose pool shut down under it: the items submitted before the shutdown run
/// to the end and are yielded, and then the map ends with an <see cref="ObjectDisposedException"/>
/// that says how many items were not run, instead of the bare "Cannot access a disposed object".
/// </summary>
internal sealed class MapShutdown
{
    /// <summary>Items read from the source and refused by the pool, or submitted and cancelled by its shutdown.</summary>
    public int ReadButNotRun { get; private set; }

    /// <summary>Items submitted before the shutdown that the shutdown cancelled before they started (<c>cancelPending</c>).</summary>
    public int Canceled { get; private set; }

    /// <summary>Items the source still held when the pool refused the map, if it can say without being enumerated.</summary>
    public long? Unread { get; init; }

    public void Refused(int items) => ReadButNotRun += items;

    public void CanceledByShutdown(int items)
    {
        ReadButNotRun += items;
        Canceled += items;
    }

    /// <summary>The exception that ends the map, once every item submitted before the shutdown has ended.</summary>
    public ObjectDisposedException ToException(long finished)
    {
        string notRun = Unread is { } unread
            ? $"{Items(ReadButNotRun + unread)} {WasOrWere(ReadButNotRun + unread)} not run"
            : $"{Items(ReadButNotRun)} read from the source {WasOrWere(ReadButNotRun)} not run, nor was the rest of the source";
        string submitted = Canceled == 0
            ? $"the {finished.ToString(CultureInfo.InvariantCulture)} submitted before the shutdown finished"
            : $"of the {(finished + Canceled).ToString(CultureInfo.InvariantCulture)} submitted before the shutdown, {finished.ToString(CultureInfo.InvariantCulture)} finished and {Canceled.ToString(CultureInfo.InvariantCulture)} {WasOrWere(Canceled)} cancelled by it";
        return new ObjectDisposedException(nameof(ProcessPoolExecutor), $"The pool was shut down while this map was running: {notRun}; {submitted}.");
    }

    private static string Items(long count) => count == 1 ? "1 item" : $"{count.ToString(CultureInfo.InvariantCulture)} items";

    private static string WasOrWere(long count) => count == 1 ? "was" : "were";
}

namespace ProcessPool.Tests.Support;

/// <summary>Every wait in the tests is bounded, so a regression fails instead of hanging the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Timeout);

    public static Task Within(this Task task) => task.WaitAsync(Timeout);

    public static async Task<List<T>> ToListWithin<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(timeout.Token))
        {
            list.Add(item);
        }

        return list;
    }
}

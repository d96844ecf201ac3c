namespace ProcessPool.Tests.Support;

internal static class Pools
{
    public static ProcessPoolExecutor Create(int workers = 2, Action<ProcessPoolOptions>? configure = null)
    {
        var options = new ProcessPoolOptions { MaxWorkers = workers };
        configure?.Invoke(options);
        return new ProcessPoolExecutor(options);
    }
}

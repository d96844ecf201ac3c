namespace ProcessPool.Tests.Support;

internal static class Pools
{
    public static ProcessPoolExecutor Create(int workers = 2, Action<ProcessPoolOptions>? configure = null)
    {
        var options = new ProcessPoolOptions { MaxWorkers = workers };
        configure?.Invoke(options);
        return new ProcessPoolExecutor(options);
    }

    /// <summary>Has every worker of the pool run a call, so first-call costs are paid before a timed call starts.</summary>
    public static async Task WarmAsync(ProcessPoolExecutor pool)
    {
        using var signal = new TestSignal();
        var calls = Enumerable.Range(0, pool.MaxWorkers).Select(_ => pool.SubmitAsync(Misbehaving.SignalThenBlock, signal.Path)).ToList();
        for (int i = 0; i < calls.Count; i++)
        {
            await signal.WaitForStartAsync();
        }

        signal.ReleaseAll();
        await Task.WhenAll(calls).Within();
    }
}

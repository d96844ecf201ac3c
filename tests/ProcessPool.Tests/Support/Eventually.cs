using System.Diagnostics;

namespace ProcessPool.Tests.Support;

internal static class Eventually
{
    /// <summary>
    /// Polls a condition that no event announces (a file another process writes) every 10 ms, and
    /// fails the test if it does not hold within <see cref="Bounded.Timeout"/>.
    /// </summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Bounded.Timeout, $"{what} did not happen within {Bounded.Timeout}");
            await Task.Delay(10);
        }
    }
}

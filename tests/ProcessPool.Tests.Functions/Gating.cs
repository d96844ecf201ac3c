namespace ProcessPool.Tests.Functions;

/// <summary>Map items a test can hold in place: lets it act while a known item is running.</summary>
public static class Gating
{
    /// <summary>Item 0 tells the test it started and waits for its release; the others return at once.</summary>
    public static int HoldFirstItem(string signalPath, int x)
    {
        if (x == 0)
        {
            using var signal = Signal.Connect(signalPath);
            signal.WaitForRelease();
        }

        return x;
    }
}

namespace ProcessPool.Tests.Functions;

/// <summary>Functions that fail, crash, hang or ignore cancellation: the scenarios a pool must survive.</summary>
public static class Misbehaving
{
    public static int ThrowArgument(string message) => throw new ArgumentException(message, nameof(message));

    public static int ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    public static int ThrowCustom(string message) => throw new CustomFailureException(message);

    public static int ThrowIfNegative(int x) => x < 0 ? throw new ArgumentOutOfRangeException(nameof(x), x, "negative") : x * x;

    public static int FailFast(string message)
    {
        Environment.FailFast(message);
        return 0;
    }

    public static int Exit(int code)
    {
        Environment.Exit(code);
        return 0;
    }

    public static int StackOverflow(int depth) => StackOverflow(depth + 1) + 1;

    /// <summary>Kills its own process with SIGKILL, like the OOM killer or kill -9 would.</summary>
    public static int KillSelf(int ignored)
    {
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Tells the test it started, then waits until cancelled.</summary>
    public static async Task<string> WaitForCancellationAsync(string signalPath, CancellationToken cancellationToken)
    {
        using var signal = Signal.Connect(signalPath);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return "not cancelled";
    }

    /// <summary>Tells the test it started, then blocks until cancelled (and ends cancelled).</summary>
    public static int BlockUntilCancelled(string signalPath, CancellationToken cancellationToken)
    {
        using var signal = Signal.Connect(signalPath);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Tells the test it started, waits for cancellation, then finishes normally anyway.</summary>
    public static int FinishDespiteCancellation(string signalPath, CancellationToken cancellationToken)
    {
        using var signal = Signal.Connect(signalPath);
        cancellationToken.WaitHandle.WaitOne();
        return 42;
    }

    /// <summary>Tells the test it started (sending its pid), then blocks until the test releases it.</summary>
    public static int SignalThenBlock(string signalPath)
    {
        using var signal = Signal.Connect(signalPath);
        signal.WaitForRelease();
        return Environment.ProcessId;
    }
}

public sealed class CustomFailureException : Exception
{
    public CustomFailureException(string message) : base(message) { }
}

/// <summary>An exception without a (string) constructor: rebuilt from its fields, not through a constructor.</summary>
public sealed class UnbuildableException : Exception
{
    public UnbuildableException(int code) : base($"code {code}") => Code = code;

    public int Code { get; }
}

public static class MoreMisbehaving
{
    public static int ThrowUnbuildable(int code) => throw new UnbuildableException(code);
}

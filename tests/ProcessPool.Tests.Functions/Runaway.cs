using System.Runtime.InteropServices;

namespace ProcessPool.Tests.Functions;

/// <summary>Code that never ends, hogs memory or crashes below .NET: what timeouts, recycling and crash handling are for.</summary>
public static partial class Runaway
{
    private static readonly List<byte[]> s_held = [];

    /// <summary>Tells the test it started, then spins for ever without looking at any token.</summary>
    public static int Spin(string signalPath)
    {
        using var signal = Signal.Connect(signalPath);
        long n = 0;
        while (true)
        {
            n = unchecked(n + Environment.TickCount64);
            Thread.SpinWait(100);
        }
    }

    /// <summary>Tells the test it started, then deadlocks two threads on two locks and waits for them.</summary>
    public static int Deadlock(string signalPath)
    {
        using var signal = Signal.Connect(signalPath);
        object a = new(), b = new();
        using var bothHoldOne = new Barrier(2);
        var first = new Thread(() => { lock (a) { bothHoldOne.SignalAndWait(); lock (b) { } } });
        var second = new Thread(() => { lock (b) { bothHoldOne.SignalAndWait(); lock (a) { } } });
        first.Start();
        second.Start();
        first.Join();
        return 0;
    }

    /// <summary>Sleeps in the worker (a task that takes a while), then returns its pid.</summary>
    public static int SleepThenReturnPid(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return Environment.ProcessId;
    }

    /// <summary>Tells the test it started, then stops when its token is signalled.</summary>
    public static int StopWhenCancelled(string signalPath, CancellationToken cancellationToken)
    {
        using var signal = Signal.Connect(signalPath);
        cancellationToken.WaitHandle.WaitOne();
        cancellationToken.ThrowIfCancellationRequested();
        return 0;
    }

    /// <summary>Keeps <paramref name="megabytes"/> MiB alive in the worker (touched, so resident), and returns the pid.</summary>
    public static int HoldMemory(int megabytes)
    {
        for (int i = 0; i < megabytes; i++)
        {
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)1);
            s_held.Add(block);
        }

        return Environment.ProcessId;
    }

    /// <summary>Allocates until the runtime gives up (run it under a memory cap).</summary>
    public static int AllocateUntilOutOfMemory(int ignored)
    {
        var list = new List<byte[]>();
        while (true)
        {
            var block = new byte[16 << 20];
            Array.Fill(block, (byte)1);
            list.Add(block);
        }
    }

    /// <summary>Reads address 1 in native code: a real segmentation fault, not a managed NullReferenceException.</summary>
    public static int Segfault(int ignored) => (int)StringLength(1);

    /// <summary>Crashes its worker (SIGKILL) the first time it runs for <paramref name="markerPath"/>, then succeeds.</summary>
    public static int CrashOnceThenSquare(string markerPath, int x)
    {
        if (File.Exists(markerPath))
        {
            return x * x;
        }

        File.WriteAllText(markerPath, "crashed once");
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>Appends a line to <paramref name="logPath"/> (one per attempt), then throws.</summary>
    public static int CountAttemptThenThrow(string logPath)
    {
        File.AppendAllText(logPath, "attempt\n");
        throw new InvalidOperationException("transient failure");
    }

    /// <summary>Appends its pid to <paramref name="logPath"/> (a line per attempt), then crashes its worker.</summary>
    public static int CountAttemptThenCrash(string logPath)
    {
        File.AppendAllText(logPath, $"{Environment.ProcessId}\n");
        System.Diagnostics.Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    /// <summary>About <paramref name="microseconds"/> of CPU work, then x + 1: an item a chaos test can interrupt.</summary>
    public static long Busy(long x, int microseconds)
    {
        var until = System.Diagnostics.Stopwatch.GetTimestamp() + (microseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000);
        while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(10);
        }

        return x + 1;
    }

    public static long BusyItem(long x) => Busy(x, 20);

    /// <summary>Writes a frame of an unknown type straight into every socket the worker holds (its channel among them), as stray native code might.</summary>
    public static int CorruptChannel(int ignored)
    {
        foreach (string link in Directory.GetFiles("/proc/self/fd"))
        {
            if (new FileInfo(link).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true
                && int.TryParse(Path.GetFileName(link), out int fd))
            {
                using var socket = new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(fd, ownsHandle: false));
                try
                {
                    socket.Send([5, 0, 0, 0, 0xEE, 1, 2, 3, 4]);
                }
                catch (System.Net.Sockets.SocketException)
                {
                    // a listening socket (the runtime's diagnostics port), not a channel
                }
            }
        }

        Thread.Sleep(Timeout.Infinite);
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "strlen")]
    private static partial nint StringLength(nint text);
}

public static class HalfWritten
{
    /// <summary>A result whose large array is written (to shared memory) before its second half fails to serialize.</summary>
    public static (byte[] Data, object Extra) BigThenUnsendable(int length) => (new byte[length], new MemoryStream());
}

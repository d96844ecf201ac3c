namespace ProcessPool.Tests.Functions;

/// <summary>Functions that read, rent, return and misuse <see cref="SharedBuffer"/>s in a worker.</summary>
public static class SharedBuffers
{
    private static SharedBuffer? s_kept;

    public static long Sum(SharedBuffer buffer)
    {
        long sum = 0;
        foreach (byte b in buffer.Span)
        {
            sum += b;
        }

        return sum;
    }

    /// <summary>The echo of the comparison runner: a buffer of the worker's own, filled from the argument.</summary>
    public static SharedBuffer Copy(SharedBuffer argument)
    {
        var result = SharedBuffer.Rent(argument.Length);
        argument.Span.CopyTo(result.Span);
        return result;
    }

    /// <summary>Returns the argument itself: the worker cannot give away the caller's buffer, so the caller gets a copy.</summary>
    public static SharedBuffer Same(SharedBuffer argument) => argument;

    public static SharedBuffer Filled(int length, byte value)
    {
        var result = SharedBuffer.Rent(length);
        result.Span.Fill(value);
        return result;
    }

    public static SharedBuffer FilledKilobyte(int value) => Filled(1024, (byte)value);

    public static Image FilledImage(int length, byte value) => new($"image {value}", Filled(length, value));

    public static SharedBuffer Squares(int count)
    {
        var result = SharedBuffer.Rent(count * sizeof(int));
        var ints = result.AsSpan<int>();
        for (int i = 0; i < ints.Length; i++)
        {
            ints[i] = i * i;
        }

        return result;
    }

    /// <summary>Keeps the argument past its call (which the rules forbid).</summary>
    public static int Keep(SharedBuffer argument)
    {
        s_kept = argument;
        return argument.Length;
    }

    /// <summary>What using a kept argument buffer in a later call does.</summary>
    public static string UseKept(int ignored)
    {
        try
        {
            return s_kept!.Span[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (ObjectDisposedException)
        {
            return "disposed";
        }
    }

    /// <summary>Tells the test it started, waits until released, then sums the buffer.</summary>
    public static long SumWhenReleased(SharedBuffer buffer, string signalPath)
    {
        using (var signal = Signal.Connect(signalPath))
        {
            signal.WaitForRelease();
        }

        return Sum(buffer);
    }
}

/// <summary>A result holding a buffer among other fields.</summary>
public sealed record Image(string Name, SharedBuffer Pixels);

namespace ProcessPool;

/// <summary>The checks the option setters share, each naming the option it rejects.</summary>
internal static class Validate
{
    /// <summary>Whether a type can be named in a payload (<see cref="ProcessPoolOptions.AllowedTypes"/>): concrete and closed.</summary>
    public static bool CanBeNamedInPayload(Type type) =>
        type.AssemblyQualifiedName is not null && !type.IsGenericTypeDefinition && !type.IsAbstract && !type.IsInterface;

    public static TimeSpan? TimeoutOrInfinite(TimeSpan? value, string name)
    {
        if (value is { } v && v != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(v, TimeSpan.Zero, name);
        }

        return value;
    }

    public static TimeSpan? NotNegative(TimeSpan? value, string name)
    {
        if (value is { } v)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(v, TimeSpan.Zero, name);
        }

        return value;
    }

    /// <summary>An optional count or size: unset, or at least 1.</summary>
    public static T? Positive<T>(T? value, string name)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        if (value is { } v)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(v, T.One, name);
        }

        return value;
    }

    /// <summary>A <see cref="ProcessPool.CancellationMode"/> the enum defines (a cast integer may not be one).</summary>
    public static CancellationMode Defined(CancellationMode value, string name)
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{value} is not a {nameof(CancellationMode)}.");
        }

        return value;
    }

    /// <summary>A limit that is set (not null and not infinite).</summary>
    public static TimeSpan? Finite(TimeSpan? value) => value is { } v && v != Timeout.InfiniteTimeSpan ? v : null;
}

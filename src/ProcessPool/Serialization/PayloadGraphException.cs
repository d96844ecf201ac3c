namespace ProcessPool.Serialization;

/// <summary>
/// A value somewhere inside a payload cannot travel. Formatters throw it with the reason; each field on
/// the way back out adds itself to <see cref="Path"/>, so the message a user reads names where in the
/// object graph the culprit sits ("field 'Rng' of Simulation: ..."). Becomes a
/// <see cref="PayloadSerializationException"/> at the top (<see cref="PayloadSerializer"/>).
/// </summary>
internal sealed class PayloadGraphException : Exception
{
    private readonly List<string> _path = [];

    public PayloadGraphException(string reason, Exception? innerException = null)
        : base(reason, innerException)
    {
    }

    /// <summary>From the outermost value to the innermost.</summary>
    public IReadOnlyList<string> Path => _path;

    /// <summary>Records that the failing value sits inside <paramref name="segment"/>.</summary>
    public PayloadGraphException Within(string segment)
    {
        _path.Insert(0, segment);
        return this;
    }

    /// <summary>"field 'a' of X → field 'b' of Y: reason", or the reason alone.</summary>
    public string Describe() => _path.Count == 0 ? Message : $"{string.Join(" → ", _path)}: {Message}";

    /// <summary>Wraps any failure of a nested value, keeping the reason and adding <paramref name="segment"/>.</summary>
    public static PayloadGraphException Wrap(Exception e, string segment) =>
        (e as PayloadGraphException ?? new PayloadGraphException(RootMessage(e), e)).Within(segment);

    public static string RootMessage(Exception e)
    {
        while (e.InnerException is { } inner && e is not PayloadGraphException)
        {
            e = inner;
        }

        return e.Message;
    }
}

namespace ProcessPool.Serialization;

/// <summary>
/// How shared-memory segments are named, in one place. A segment's name says which process owns it:
/// the parent's are <see cref="Parent"/>…, worker N's <see cref="Result(int)"/>…, followed by a serial
/// number. Every segment ends in <see cref="Extension"/>, which is how a reader knows a name is one
/// of the pool's segments.
/// </summary>
internal static class SegmentNames
{
    /// <summary>The prefix of the parent's segments (arguments, map items, buffers it rents).</summary>
    public const string Parent = "p-";

    /// <summary>The file extension of every shared-memory segment.</summary>
    public const string Extension = ".seg";

    private const string ResultMark = "r";

    /// <summary>The prefix of worker <paramref name="workerId"/>'s segments (results, buffers it rents).</summary>
    public static string Result(int workerId) => Result(workerId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc cref="Result(int)"/>
    public static string Result(string workerId) => $"{ResultMark}{workerId}-";

    /// <summary>The name of the <paramref name="serial"/>th segment of <paramref name="prefix"/>'s owner.</summary>
    public static string File(string prefix, long serial) => $"{prefix}{serial}{Extension}";

    /// <summary>Whether <paramref name="fileName"/> has the shape of a shared-memory segment.</summary>
    public static bool IsSegment(string fileName) => fileName.EndsWith(Extension, StringComparison.Ordinal);
}

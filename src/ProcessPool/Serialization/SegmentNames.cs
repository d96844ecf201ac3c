namespace ProcessPool.Serialization;

/// <summary>
/// How shared-memory files are named, in one place. A file's name says who wrote it and for what:
/// the parent writes <see cref="Argument"/> files (a Submit's arguments) and <see cref="MapItem"/> files
/// (a Map chunk's items); worker N writes <see cref="Result(int)"/> files. A file whose reader is done is
/// renamed <see cref="SpareOf"/> its owner, for the owner to fill again. Every file ends in
/// <see cref="Extension"/>, which is how a reader knows a name is one of the pool's files.
/// </summary>
internal static class SegmentNames
{
    /// <summary>The prefix of files holding a Submit's arguments (parent-written).</summary>
    public const string Argument = "a";

    /// <summary>The prefix of files holding a Map chunk's items (parent-written).</summary>
    public const string MapItem = "m";

    /// <summary>The file extension of every shared-memory file.</summary>
    public const string Extension = ".seg";

    private const string Free = "free-";
    private const string ResultMark = "r";
    private const string ParentOwner = "p-";

    /// <summary>The prefix of the files worker <paramref name="workerId"/> writes its results to.</summary>
    public static string Result(int workerId) => Result(workerId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <inheritdoc cref="Result(int)"/>
    public static string Result(string workerId) => $"{ResultMark}{workerId}-";

    /// <summary>The name of the <paramref name="serial"/>th file written with <paramref name="prefix"/>.</summary>
    public static string File(string prefix, long serial) => $"{prefix}{serial}{Extension}";

    /// <summary>The prefix of spare files owned by whoever writes files named <paramref name="prefix"/>.</summary>
    public static string SpareOf(string prefix) => Free + OwnerOf(prefix);

    /// <summary>The prefix of every spare file, whoever owns it.</summary>
    public static string AnySpare => Free;

    /// <summary>
    /// Who owns a file (or prefix): worker N's files share "rN-"; the parent's arguments and map items
    /// share one owner, as one process writes both.
    /// </summary>
    public static string OwnerOf(string fileName) =>
        fileName.StartsWith(ResultMark, StringComparison.Ordinal) && fileName.IndexOf('-', StringComparison.Ordinal) is > 1 and var dash
            ? fileName[..(dash + 1)]
            : ParentOwner;

    /// <summary>Whether <paramref name="fileName"/> has the shape of a shared-memory file.</summary>
    public static bool IsSegment(string fileName) => fileName.EndsWith(Extension, StringComparison.Ordinal);
}

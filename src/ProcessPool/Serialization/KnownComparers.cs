namespace ProcessPool.Serialization;

/// <summary>
/// The comparers a dictionary or set keeps across the trip: the key type's default and the well-known
/// string comparers, each by a small code. Any other comparer is dropped (the collection arrives with
/// its key type's default comparer), as documented in docs/what-can-travel.md.
/// </summary>
internal static class KnownComparers
{
    public const int Default = 0;

    private static readonly object[] s_byCode =
    [
        "default",
        StringComparer.Ordinal,
        StringComparer.OrdinalIgnoreCase,
        StringComparer.InvariantCulture,
        StringComparer.InvariantCultureIgnoreCase,
        StringComparer.CurrentCulture,
        StringComparer.CurrentCultureIgnoreCase,
    ];

    /// <summary>The code of <paramref name="comparer"/>; <see cref="Default"/> for the default and for comparers that do not travel.</summary>
    public static int CodeOf<TKey>(IEqualityComparer<TKey>? comparer)
    {
        if (comparer is null || ReferenceEquals(comparer, EqualityComparer<TKey>.Default) || typeof(TKey) != typeof(string))
        {
            return Default;
        }

        for (int code = 1; code < s_byCode.Length; code++)
        {
            if (s_byCode[code].Equals(comparer))
            {
                return code;
            }
        }

        // Dictionary<string, _> reports the default comparer as EqualityComparer<string>.Default, or as
        // Ordinal's wrapper: both mean "ordinal", which is the default.
        return Default;
    }

    public static IEqualityComparer<TKey>? ByCode<TKey>(int code) =>
        code == Default ? null
        : typeof(TKey) == typeof(string) && code > 0 && code < s_byCode.Length ? (IEqualityComparer<TKey>)s_byCode[code]
        : throw new MessagePack.MessagePackSerializationException($"Comparer code {code} is not one this build knows for {typeof(TKey)} keys.");
}

namespace ProcessPool.Serialization;

/// <summary>
/// The comparers a dictionary or set keeps across the trip: the key type's default and the well-known
/// string comparers, each by a small code. Any other comparer is dropped (the collection arrives with
/// its key type's default comparer), as documented in docs/what-can-travel.md.
/// </summary>
internal static class KnownComparers
{
    public const int Default = 0;

    // Index 0 is the default comparer, which needs no code on the wire.
    private static readonly StringComparer?[] s_byCode =
    [
        null,
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
            // Equals, not reference equality: a dictionary may hand back its own wrapper of the comparer it was given.
            if (s_byCode[code]!.Equals(comparer))
            {
                return code;
            }
        }

        return Default; // a comparer of the app's, or StringComparer.Create(...): dropped, as documented
    }

    public static IEqualityComparer<TKey>? ByCode<TKey>(int code) =>
        code == Default ? null
        : typeof(TKey) == typeof(string) && code > 0 && code < s_byCode.Length ? (IEqualityComparer<TKey>)s_byCode[code]!
        : throw new MessagePack.MessagePackSerializationException($"Comparer code {code} is not one this build knows for {typeof(TKey)} keys.");
}

namespace Bearer.Auth;

/// <summary>
/// Equality of cached token texts: ordinal over the whole text, hashed over its last 32 characters only (the end of
/// the signature) with the process's randomized string hash. Hashing all of a 1–2 KB token costs more than the rest
/// of a cache hit.
/// </summary>
/// <remarks>
/// Why the short hash cannot be flooded: entries are only tokens that passed validation twice, so an attacker cannot
/// choose the hashes of what is stored, and the randomized hash keeps colliding lookups from being computed offline;
/// a lookup that collides costs one length check and one vectorized comparison.
/// </remarks>
internal sealed class TokenTextComparer : IEqualityComparer<string>
{
    private const int HashedLength = 32;

    internal static readonly TokenTextComparer Instance = new();

    public bool Equals(string? x, string? y) => string.Equals(x, y, StringComparison.Ordinal);

    public int GetHashCode(string obj) =>
        string.GetHashCode(obj.AsSpan(Math.Max(0, obj.Length - HashedLength)), StringComparison.Ordinal);
}

namespace Bearer.Auth.Keys;

/// <summary>
/// An immutable lookup of keys by (algorithm, kid), with the per-issuer filter applied at lookup. Built once per
/// key set so a lookup allocates nothing in the common case (every candidate serves the token's issuer).
/// An issuer that has keys bound to it is served by those keys only; unbound keys serve the other issuers. So a
/// general-purpose key (say, from a configured JWKS) can never sign for an issuer that brought its own keys.
/// </summary>
internal sealed class SigningKeyIndex
{
    private readonly Dictionary<(string Algorithm, string KeyId), SigningKey[]> _byKeyId = [];
    private readonly Dictionary<string, SigningKey[]> _byAlgorithm = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundIssuers = new(StringComparer.Ordinal);

    internal SigningKeyIndex(IEnumerable<SigningKey> keys)
    {
        var byKeyId = new Dictionary<(string, string), List<SigningKey>>();
        var byAlgorithm = new Dictionary<string, List<SigningKey>>(StringComparer.Ordinal);
        var all = new List<SigningKey>();
        foreach (var key in keys)
        {
            all.Add(key);
            if (key.Issuer is not null)
            {
                _boundIssuers.Add(key.Issuer);
            }

            if (key.KeyId is not null)
            {
                Append(byKeyId, (key.Algorithm, key.KeyId), key);
            }

            Append(byAlgorithm, key.Algorithm, key);
        }

        foreach (var (id, list) in byKeyId)
        {
            _byKeyId[id] = [.. list];
        }

        foreach (var (algorithm, list) in byAlgorithm)
        {
            _byAlgorithm[algorithm] = [.. list];
        }

        Keys = all;
    }

    /// <summary>Gets every key in the index.</summary>
    internal IReadOnlyList<SigningKey> Keys { get; }

    /// <summary>Whether any key is bound to <paramref name="issuer"/>.</summary>
    internal bool HasKeysBoundTo(string issuer) => _boundIssuers.Contains(issuer);

    /// <summary>Whether any key carries this kid (for any algorithm or issuer).</summary>
    internal bool ContainsKeyId(string keyId)
    {
        foreach (var key in Keys)
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The keys for <paramref name="algorithm"/> and <paramref name="keyId"/> (every key of that algorithm when the
    /// token has no kid) that serve <paramref name="issuer"/>: the keys bound to exactly that issuer when it has
    /// any, otherwise the unbound keys.
    /// </summary>
    internal IReadOnlyList<SigningKey> Find(string algorithm, string? keyId, string? issuer)
    {
        SigningKey[]? candidates;
        if (keyId is null)
        {
            _byAlgorithm.TryGetValue(algorithm, out candidates);
        }
        else
        {
            _byKeyId.TryGetValue((algorithm, keyId), out candidates);
        }

        if (candidates is null)
        {
            return [];
        }

        var boundIssuer = issuer is not null && _boundIssuers.Contains(issuer) ? issuer : null;
        var matching = 0;
        foreach (var key in candidates)
        {
            if (Serves(key, boundIssuer))
            {
                matching++;
            }
        }

        if (matching == candidates.Length)
        {
            return candidates;
        }

        var filtered = new SigningKey[matching];
        var next = 0;
        foreach (var key in candidates)
        {
            if (Serves(key, boundIssuer))
            {
                filtered[next++] = key;
            }
        }

        return filtered;
    }

    /// <summary>With a bound issuer, only keys bound to it serve; without one, only unbound keys do.</summary>
    private static bool Serves(SigningKey key, string? boundIssuer) => string.Equals(key.Issuer, boundIssuer, StringComparison.Ordinal);

    private static void Append<TKey>(Dictionary<TKey, List<SigningKey>> map, TKey id, SigningKey key)
        where TKey : notnull
    {
        if (!map.TryGetValue(id, out var list))
        {
            list = [];
            map[id] = list;
        }

        list.Add(key);
    }
}

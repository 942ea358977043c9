namespace Bearer.Auth;

/// <summary>
/// An immutable lookup of a key set by kid (or by algorithm for tokens without one), serving each token the keys of its
/// algorithm that <see cref="IssuerBinding"/> lets serve its issuer. Built once per key set, so a lookup is one
/// dictionary probe and allocates nothing in the common case (every candidate serves).
/// </summary>
internal sealed class KeyIndex
{
    private readonly Dictionary<string, VerificationKey[]> _byKeyId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VerificationKey[]> _byAlgorithm = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundIssuers = new(StringComparer.Ordinal);

    internal KeyIndex(IEnumerable<VerificationKey> keys)
    {
        var byKeyId = new Dictionary<string, List<VerificationKey>>(StringComparer.Ordinal);
        var byAlgorithm = new Dictionary<string, List<VerificationKey>>(StringComparer.Ordinal);
        var all = new List<VerificationKey>();
        foreach (var key in keys)
        {
            all.Add(key);
            if (key.Issuer is not null)
            {
                _boundIssuers.Add(key.Issuer);
            }

            if (key.KeyId is not null)
            {
                Append(byKeyId, key.KeyId, key);
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
    internal IReadOnlyList<VerificationKey> Keys { get; }

    /// <summary>Whether any key is bound to <paramref name="issuer"/>.</summary>
    internal bool HasKeysBoundTo(string issuer) => _boundIssuers.Contains(issuer);

    /// <summary>Whether any key carries this kid (for any algorithm or issuer).</summary>
    internal bool ContainsKeyId(string keyId) => _byKeyId.ContainsKey(keyId);

    /// <summary>
    /// The keys for <paramref name="algorithm"/> and <paramref name="keyId"/> (every key of that algorithm when the
    /// token has no kid) that serve <paramref name="issuer"/> (<see cref="IssuerBinding.Serves"/>): the keys bound to
    /// exactly that issuer when it has any, otherwise the unbound keys. Allocates only when some candidates do not serve.
    /// </summary>
    internal IReadOnlyList<VerificationKey> Find(string algorithm, string? keyId, string? issuer)
    {
        VerificationKey[]? candidates;
        if (keyId is null)
        {
            _byAlgorithm.TryGetValue(algorithm, out candidates);
        }
        else
        {
            _byKeyId.TryGetValue(keyId, out candidates);
        }

        if (candidates is null)
        {
            return [];
        }

        var issuerHasBoundKeys = issuer is not null && _boundIssuers.Contains(issuer);
        var serving = 0;
        foreach (var key in candidates)
        {
            if (Serves(key, algorithm, issuer, issuerHasBoundKeys))
            {
                serving++;
            }
        }

        if (serving == candidates.Length)
        {
            return candidates;
        }

        var filtered = new VerificationKey[serving];
        var next = 0;
        foreach (var key in candidates)
        {
            if (Serves(key, algorithm, issuer, issuerHasBoundKeys))
            {
                filtered[next++] = key;
            }
        }

        return filtered;
    }

    /// <summary>A key of the token's algorithm (a kid may name keys of several) that serves its issuer.</summary>
    private static bool Serves(VerificationKey key, string algorithm, string? issuer, bool issuerHasBoundKeys) =>
        (ReferenceEquals(key.Algorithm, algorithm) || string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
        && IssuerBinding.Serves(key.Issuer, issuer, issuerHasBoundKeys);

    private static void Append<TKey>(Dictionary<TKey, List<VerificationKey>> map, TKey id, VerificationKey key)
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

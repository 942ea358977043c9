namespace Bearer.Auth;

/// <summary>
/// An immutable lookup of a key set by algorithm, then <c>kid</c> (or none) and the issuer the keys serve
/// (<see cref="IssuerBinding"/>): the keys bound to exactly the token's issuer when it has any, otherwise the unbound
/// keys. Built once per key set, so a lookup is two dictionary probes and allocates nothing, however many algorithms
/// a key without <c>alg</c> or issuers a shared key set serves (each is its own instance: see
/// <see cref="VerificationKey.Rebind"/>).
/// </summary>
internal sealed class KeyIndex
{
    private readonly Dictionary<string, ByAlgorithm> _byAlgorithm = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keyIds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _boundIssuers = new(StringComparer.Ordinal);

    internal KeyIndex(IEnumerable<VerificationKey> keys)
    {
        var byKeyId = new Dictionary<(string Algorithm, string KeyId, string? Issuer), List<VerificationKey>>();
        var withoutKeyId = new Dictionary<(string Algorithm, string? Issuer), List<VerificationKey>>();
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
                _keyIds.Add(key.KeyId);
                Append(byKeyId, (key.Algorithm, key.KeyId, key.Issuer), key);
            }

            // A token without kid may be signed by any key of its algorithm, with or without a kid.
            Append(withoutKeyId, (key.Algorithm, key.Issuer), key);
        }

        foreach (var ((algorithm, keyId, issuer), list) in byKeyId)
        {
            For(algorithm).ByKeyId[new KeyIdAndIssuer(keyId, issuer)] = [.. list];
        }

        foreach (var ((algorithm, issuer), list) in withoutKeyId)
        {
            For(algorithm).ByIssuer[new IssuerOrUnbound(issuer)] = [.. list];
        }

        Keys = all;
    }

    /// <summary>Gets every key in the index.</summary>
    internal IReadOnlyList<VerificationKey> Keys { get; }

    /// <summary>Whether any key is bound to <paramref name="issuer"/>.</summary>
    internal bool HasKeysBoundTo(string issuer) => _boundIssuers.Contains(issuer);

    /// <summary>Whether any key carries this kid (for any algorithm or issuer).</summary>
    internal bool ContainsKeyId(string keyId) => _keyIds.Contains(keyId);

    /// <summary>
    /// The keys for <paramref name="algorithm"/> and <paramref name="keyId"/> (every key of that algorithm when the
    /// token has no kid) that serve <paramref name="issuer"/> (<see cref="IssuerBinding.Serves"/>): the keys bound to
    /// exactly that issuer when it has any here, otherwise the unbound keys. Never allocates.
    /// </summary>
    internal IReadOnlyList<VerificationKey> Find(string algorithm, string? keyId, string? issuer)
    {
        if (!_byAlgorithm.TryGetValue(algorithm, out var byAlgorithm))
        {
            return [];
        }

        var servedAs = issuer is not null && _boundIssuers.Contains(issuer) ? issuer : null;
        VerificationKey[]? keys;
        if (keyId is null)
        {
            byAlgorithm.ByIssuer.TryGetValue(new IssuerOrUnbound(servedAs), out keys);
        }
        else
        {
            byAlgorithm.ByKeyId.TryGetValue(new KeyIdAndIssuer(keyId, servedAs), out keys);
        }

        return keys ?? [];
    }

    /// <summary>
    /// The resolution for <paramref name="header"/> and <paramref name="issuer"/> over these keys: the candidates, or
    /// whether keys exist only for other issuers, or none at all (every resolver over a fixed set answers so).
    /// </summary>
    internal KeyResolution Resolve(JwsHeader header, string? issuer)
    {
        var keys = Find(header.Algorithm, header.KeyId, issuer);
        return keys.Count > 0 ? KeyResolution.Found(keys)
            : HasKeysForOtherIssuers(header.Algorithm, header.KeyId) ? KeyResolution.NotForIssuer
            : KeyResolution.NotFound;
    }

    /// <summary>
    /// Whether a key of <paramref name="algorithm"/> (with <paramref name="keyId"/>, when the token names one) exists
    /// at all: asked after <see cref="Find"/> found none for the token's issuer, to tell "no key may sign for this
    /// issuer" from "no such key".
    /// </summary>
    internal bool HasKeysForOtherIssuers(string algorithm, string? keyId) =>
        _byAlgorithm.TryGetValue(algorithm, out var byAlgorithm)
        && (keyId is null ? byAlgorithm.ByIssuer.Count > 0 : ContainsKeyIdFor(byAlgorithm, keyId));

    private static bool ContainsKeyIdFor(ByAlgorithm byAlgorithm, string keyId)
    {
        foreach (var entry in byAlgorithm.ByKeyId.Keys)
        {
            if (string.Equals(entry.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private ByAlgorithm For(string algorithm)
    {
        if (!_byAlgorithm.TryGetValue(algorithm, out var byAlgorithm))
        {
            byAlgorithm = new ByAlgorithm();
            _byAlgorithm[algorithm] = byAlgorithm;
        }

        return byAlgorithm;
    }

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

    /// <summary>The keys of one algorithm, by (kid, issuer) and by issuer alone; a null issuer means unbound.</summary>
    private sealed class ByAlgorithm
    {
        internal Dictionary<KeyIdAndIssuer, VerificationKey[]> ByKeyId { get; } = [];

        internal Dictionary<IssuerOrUnbound, VerificationKey[]> ByIssuer { get; } = [];
    }

    // Record structs compare their strings ordinally and allow the null (unbound) issuer a dictionary key cannot be.
    private readonly record struct KeyIdAndIssuer(string KeyId, string? Issuer);

    private readonly record struct IssuerOrUnbound(string? Issuer);
}

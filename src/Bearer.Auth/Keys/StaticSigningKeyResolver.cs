namespace Bearer.Auth.Keys;

/// <summary>
/// Resolves keys from a fixed set (configured keys, certificates, inline or file JWKS). This is the default
/// resolver when no remote key source is configured.
/// </summary>
public sealed class StaticSigningKeyResolver : ISigningKeyResolver, IIssuerBoundKeyResolver
{
    private readonly SigningKeyIndex _index;

    /// <summary>Creates a resolver over <paramref name="keys"/>.</summary>
    /// <param name="keys">The keys.</param>
    public StaticSigningKeyResolver(IEnumerable<SigningKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _index = new SigningKeyIndex(keys);
    }

    /// <summary>Gets the keys this resolver serves.</summary>
    public IReadOnlyList<SigningKey> Keys => _index.Keys;

    bool IIssuerBoundKeyResolver.HasKeysBoundTo(string issuer) => _index.HasKeysBoundTo(issuer);

    /// <inheritdoc />
    public ValueTask<SigningKeyResolution> ResolveAsync(Tokens.JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SigningKeyResolution.Found(_index.Find(header.Algorithm, header.KeyId, issuer)));
}

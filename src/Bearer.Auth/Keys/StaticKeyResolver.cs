namespace Bearer.Auth;

/// <summary>
/// Resolves keys from a fixed set (configured keys, certificates, inline or file JWKS): the default resolver of a
/// scheme's configured keys, and a building block for custom resolvers (wrap one, rebuild it when your keys change).
/// </summary>
public sealed class StaticKeyResolver : IKeyResolver
{
    private readonly KeyIndex _index;

    /// <summary>Creates a resolver over <paramref name="keys"/>.</summary>
    /// <param name="keys">The keys.</param>
    public StaticKeyResolver(IEnumerable<VerificationKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _index = new KeyIndex(keys);
    }

    /// <summary>Gets the keys this resolver serves.</summary>
    public IReadOnlyList<VerificationKey> Keys => _index.Keys;

    /// <inheritdoc />
    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_index.Resolve(header, issuer));

    /// <inheritdoc />
    public bool HasKeysBoundTo(string issuer) => _index.HasKeysBoundTo(issuer);
}

namespace Bearer.Auth.Tests.Keys;

/// <summary>
/// SAMPLE: a resolver an application writes for keys it keeps itself, here per tenant in a dictionary keyed by the
/// tenant's issuer, plus keys shared by tenants that have none of their own. It binds keys to issuers exactly as the
/// built-in resolvers do, and <see cref="TenantKeyResolverContractTests"/> holds it to the
/// same contract:
/// <list type="number">
/// <item>Each tenant key is created bound to its tenant (<c>VerificationKey.Rsa(rsa, issuer: tenantIssuer)</c>);
/// shared keys are bound to none.</item>
/// <item>A lookup returns the keys of the tenant the token names when it has any, otherwise the shared keys; of those,
/// the keys of the token's algorithm and, when it names one, of its exact kid (ordinal: kids are opaque).</item>
/// <item><see cref="HasKeysBoundTo"/> answers from the same dictionary, so the validator never lets a shared key, even
/// one from another resolver of the scheme, sign for a tenant with keys of its own.</item>
/// <item>When nothing serves the token but another tenant (or the shared set) has a key of its algorithm and kid, it
/// answers <see cref="KeyResolution.NotForIssuer"/>, so the failure says "not this issuer's key" (on the failure path
/// only: a successful lookup never scans the other tenants).</item>
/// </list>
/// The issuer decision itself stays with the validator: the resolver only finds candidates. The token's <c>iss</c>
/// and <c>kid</c> are unverified, so they are used as dictionary keys only.
/// </summary>
internal sealed class TenantKeyResolver : IKeyResolver
{
    private readonly Dictionary<string, VerificationKey[]> _tenants;
    private readonly VerificationKey[] _shared;

    /// <summary>Creates the resolver.</summary>
    /// <param name="tenants">Each tenant's issuer and its keys, every one bound to that issuer.</param>
    /// <param name="sharedKeys">Keys bound to no issuer, for tenants without keys of their own.</param>
    /// <exception cref="ArgumentException">A tenant key is not bound to its tenant, or a shared key is bound.</exception>
    internal TenantKeyResolver(IReadOnlyDictionary<string, IReadOnlyList<VerificationKey>> tenants, IEnumerable<VerificationKey> sharedKeys)
    {
        _tenants = new Dictionary<string, VerificationKey[]>(StringComparer.Ordinal);
        foreach (var (issuer, keys) in tenants)
        {
            if (keys.FirstOrDefault(k => !string.Equals(k.Issuer, issuer, StringComparison.Ordinal)) is { } stray)
            {
                throw new ArgumentException($"The key '{stray.KeyId}' of tenant '{issuer}' is bound to '{stray.Issuer}': create it with issuer: \"{issuer}\".", nameof(tenants));
            }

            _tenants[issuer] = [.. keys];
        }

        _shared = [.. sharedKeys];
        if (_shared.FirstOrDefault(k => k.Issuer is not null) is { } bound)
        {
            throw new ArgumentException($"The shared key '{bound.KeyId}' is bound to '{bound.Issuer}'; shared keys are bound to no issuer.", nameof(sharedKeys));
        }
    }

    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        var keys = issuer is not null && _tenants.TryGetValue(issuer, out var own) ? own : _shared;
        var candidates = new List<VerificationKey>();
        foreach (var key in keys)
        {
            if (Matches(key, header))
            {
                candidates.Add(key);
            }
        }

        return ValueTask.FromResult(candidates.Count > 0 ? KeyResolution.Found(candidates)
            : AnyKeyMatches(header) ? KeyResolution.NotForIssuer
            : KeyResolution.NotFound);
    }

    public bool HasKeysBoundTo(string issuer) => _tenants.ContainsKey(issuer);

    private static bool Matches(VerificationKey key, JwsHeader header) =>
        string.Equals(key.Algorithm, header.Algorithm, StringComparison.Ordinal)
        && (header.KeyId is null || string.Equals(key.KeyId, header.KeyId, StringComparison.Ordinal));

    private bool AnyKeyMatches(JwsHeader header) =>
        _shared.Any(k => Matches(k, header)) || _tenants.Values.Any(keys => keys.Any(k => Matches(k, header)));
}

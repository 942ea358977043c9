using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth;

/// <summary>
/// The resolvers of one scheme asked together: its configured keys, its remote key sources and the application's own
/// resolver, so none of them silently drops the others. Candidates are the union of their answers less the keys that
/// do not serve the token's issuer across all of them (an unbound configured key never serves an authority's
/// issuer); with none, a source that could not be reached makes it
/// <see cref="TokenFailureReason.KeySourceUnavailable"/> (the token is not known to be bad).
/// </summary>
internal sealed class CompositeKeyResolver : IKeyResolver, IRemoteKeyResolver
{
    private readonly IKeyResolver[] _resolvers;

    internal CompositeKeyResolver(IReadOnlyList<IKeyResolver> resolvers)
    {
        _resolvers = [.. resolvers];
    }

    internal IReadOnlyList<IKeyResolver> Resolvers => _resolvers;

    public async ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        List<VerificationKey>? found = null;
        var unavailable = false;
        bool? issuerHasBoundKeys = null;
        foreach (var resolver in _resolvers)
        {
            var resolution = await resolver.ResolveAsync(header, issuer, cancellationToken).ConfigureAwait(false);
            unavailable |= resolution.Failure == TokenFailureReason.KeySourceUnavailable;
            foreach (var key in resolution.Keys)
            {
                if (IssuerBinding.Serves(key.Issuer, issuer, key.Issuer is null && (issuerHasBoundKeys ??= issuer is not null && HasKeysBoundTo(issuer))))
                {
                    (found ??= []).Add(key);
                }
            }
        }

        return found is not null ? KeyResolution.Found(found)
            : unavailable ? KeyResolution.Unavailable
            : KeyResolution.NotFound;
    }

    public bool HasKeysBoundTo(string issuer)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.HasKeysBoundTo(issuer))
            {
                return true;
            }
        }

        return false;
    }

    public Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var warmUps = new List<Task>();
        foreach (var resolver in _resolvers)
        {
            if (resolver is IRemoteKeyResolver remote)
            {
                warmUps.Add(remote.WarmUpAsync(cancellationToken));
            }
        }

        return Task.WhenAll(warmUps);
    }

    public HealthCheckResult CheckHealth()
    {
        var reports = new List<HealthCheckResult>();
        foreach (var resolver in _resolvers)
        {
            if (resolver is IRemoteKeyResolver remote)
            {
                reports.Add(remote.CheckHealth());
            }
        }

        return RemoteKeyHealth.Combine(reports);
    }
}

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

    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        // Synchronous while every resolver answers from memory (the usual case): no state machine, and no list unless
        // two resolvers both have candidates or some candidate does not serve the issuer.
        var candidates = new Candidates(this, issuer);
        for (var i = 0; i < _resolvers.Length; i++)
        {
            var resolving = _resolvers[i].ResolveAsync(header, issuer, cancellationToken);
            if (!resolving.IsCompletedSuccessfully)
            {
                return ResolveRestAsync(resolving, i, header, issuer, candidates, cancellationToken);
            }

            candidates.Add(resolving.Result);
        }

        return ValueTask.FromResult(candidates.ToResolution());
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

    private async ValueTask<KeyResolution> ResolveRestAsync(
        ValueTask<KeyResolution> resolving, int index, JwsHeader header, string? issuer, Candidates candidates, CancellationToken cancellationToken)
    {
        candidates.Add(await resolving.ConfigureAwait(false));
        for (var i = index + 1; i < _resolvers.Length; i++)
        {
            candidates.Add(await _resolvers[i].ResolveAsync(header, issuer, cancellationToken).ConfigureAwait(false));
        }

        return candidates.ToResolution();
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

    /// <summary>The union of the resolvers' answers, less the keys that do not serve the issuer across all of them.</summary>
    private struct Candidates(CompositeKeyResolver composite, string? issuer)
    {
        private IReadOnlyList<VerificationKey>? _only;
        private List<VerificationKey>? _many;
        private bool _unavailable;
        private bool? _issuerHasBoundKeys;

        internal void Add(KeyResolution resolution)
        {
            _unavailable |= resolution.Failure == TokenFailureReason.KeySourceUnavailable;
            var keys = resolution.Keys;
            if (keys.Count == 0)
            {
                return;
            }

            if (_only is null && _many is null && AllServe(keys))
            {
                _only = keys;
                return;
            }

            _many ??= _only is null ? [] : [.. _only];
            _only = null;
            foreach (var key in keys)
            {
                if (Serves(key))
                {
                    _many.Add(key);
                }
            }
        }

        internal readonly KeyResolution ToResolution() =>
            _only is not null ? KeyResolution.Found(_only)
            : _many is { Count: > 0 } ? KeyResolution.Found(_many)
            : _unavailable ? KeyResolution.Unavailable
            : KeyResolution.NotFound;

        private bool AllServe(IReadOnlyList<VerificationKey> keys)
        {
            for (var i = 0; i < keys.Count; i++)
            {
                if (!Serves(keys[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Serves(VerificationKey key) =>
            IssuerBinding.Serves(key.Issuer, issuer, key.Issuer is null && (_issuerHasBoundKeys ??= issuer is not null && composite.HasKeysBoundTo(issuer)));
    }
}

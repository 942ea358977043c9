using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth;

/// <summary>
/// The resolvers of one scheme asked together: its configured keys, its remote key sources and the application's own
/// resolver, so none of them silently drops the others. Candidates are the union of their answers less the keys that
/// do not serve the token's issuer across all of them (an unbound configured key never serves an authority's issuer
/// once that issuer is known: see <see cref="IssuerBinding"/>); with none, a source that could not be reached makes
/// it <see cref="TokenFailureReason.KeySourceUnavailable"/> (the token is not known to be bad). Remote sets are read
/// from their cache first and fetch for an unknown <c>kid</c> only when no resolver had a candidate.
/// </summary>
internal sealed class CompositeKeyResolver : IKeyResolver, IRemoteKeyResolver, IKeylessRefresh
{
    private readonly IKeyResolver[] _resolvers;

    internal CompositeKeyResolver(IReadOnlyList<IKeyResolver> resolvers)
    {
        // A scheme composes at most its configured keys, its remote sources and the application's resolver.
        if (resolvers.Count > Fetches.MaxResolvers)
        {
            throw new ArgumentOutOfRangeException(nameof(resolvers), resolvers.Count, $"At most {Fetches.MaxResolvers} key resolvers are composed.");
        }

        _resolvers = [.. resolvers];
    }

    internal IReadOnlyList<IKeyResolver> Resolvers => _resolvers;

    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        // Synchronous while every resolver answers from memory (the usual case): no state machine, and no list unless
        // two resolvers both have candidates or some candidate does not serve the issuer. Remote resolvers answer
        // from their cache here, and fetch afterwards only if they must (see Fetches).
        var candidates = new Candidates(this, issuer);
        var fetches = default(Fetches);
        for (var i = 0; i < _resolvers.Length; i++)
        {
            if (_resolvers[i] is RemoteKeyResolver remote)
            {
                candidates.Add(remote.ResolveFromCache(header, issuer, out var need));
                fetches.Note(i, need);
                continue;
            }

            var resolving = _resolvers[i].ResolveAsync(header, issuer, cancellationToken);
            if (!resolving.IsCompletedSuccessfully)
            {
                return ResolveRestAsync(resolving, i, header, issuer, candidates, fetches, cancellationToken);
            }

            candidates.Add(resolving.Result);
        }

        var fetching = fetches.Of(candidates.HasAny);
        return fetching == 0
            ? ValueTask.FromResult(candidates.ToResolution())
            : FetchRemoteAsync(fetching, header, issuer, candidates, cancellationToken);
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
        ValueTask<KeyResolution> resolving,
        int index,
        JwsHeader header,
        string? issuer,
        Candidates candidates,
        Fetches fetches,
        CancellationToken cancellationToken)
    {
        candidates.Add(await resolving.ConfigureAwait(false));
        for (var i = index + 1; i < _resolvers.Length; i++)
        {
            if (_resolvers[i] is RemoteKeyResolver remote)
            {
                candidates.Add(remote.ResolveFromCache(header, issuer, out var need));
                fetches.Note(i, need);
                continue;
            }

            candidates.Add(await _resolvers[i].ResolveAsync(header, issuer, cancellationToken).ConfigureAwait(false));
        }

        var fetching = fetches.Of(candidates.HasAny);
        return fetching == 0
            ? candidates.ToResolution()
            : await FetchRemoteAsync(fetching, header, issuer, candidates, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets the remote resolvers in <paramref name="fetching"/> fetch, each under its own cooldown and wait limit.
    /// Their cached answers held no key, so asking again adds none twice.
    /// </summary>
    private async ValueTask<KeyResolution> FetchRemoteAsync(
        uint fetching, JwsHeader header, string? issuer, Candidates candidates, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _resolvers.Length; i++)
        {
            if ((fetching & (1u << i)) != 0)
            {
                candidates.Add(await _resolvers[i].ResolveAsync(header, issuer, cancellationToken).ConfigureAwait(false));
            }
        }

        return candidates.ToResolution();
    }

    public async ValueTask<bool> RefreshForKeylessTokenAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        var refreshed = false;
        foreach (var resolver in _resolvers)
        {
            if (resolver is IKeylessRefresh remote)
            {
                refreshed |= await remote.RefreshForKeylessTokenAsync(header, issuer, cancellationToken).ConfigureAwait(false);
            }
        }

        return refreshed;
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

    /// <summary>
    /// Which remote resolvers fetch after the cached pass, by index. One with no key set fetches (and the request
    /// waits) as it would alone: it knows nothing yet. One whose set lacks the <c>kid</c> fetches only when no
    /// resolver had a candidate: a configured key's <c>kid</c> is unknown to every remote set by nature, and must not
    /// cost a fetch (and a waiting request) per cooldown. Only resolvers whose cached answer held no key are listed.
    /// </summary>
    private struct Fetches
    {
        internal const int MaxResolvers = 32;

        private uint _noKeySet;
        private uint _unknownKeyId;

        internal void Note(int index, RemoteFetchNeed need)
        {
            if (need == RemoteFetchNeed.NoKeySet)
            {
                _noKeySet |= 1u << index;
            }
            else if (need == RemoteFetchNeed.UnknownKeyId)
            {
                _unknownKeyId |= 1u << index;
            }
        }

        internal readonly uint Of(bool haveCandidates) => haveCandidates ? _noKeySet : _noKeySet | _unknownKeyId;
    }

    /// <summary>The union of the resolvers' answers, less the keys that do not serve the issuer across all of them.</summary>
    private struct Candidates(CompositeKeyResolver composite, string? issuer)
    {
        private IReadOnlyList<VerificationKey>? _only;
        private List<VerificationKey>? _many;
        private bool _unavailable;
        private bool _notForIssuer;
        private bool? _issuerHasBoundKeys;

        internal void Add(KeyResolution resolution)
        {
            _unavailable |= resolution.Failure == TokenFailureReason.KeySourceUnavailable;
            _notForIssuer |= resolution.Failure == TokenFailureReason.KeyIssuerMismatch;
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
                else
                {
                    _notForIssuer = true;
                }
            }
        }

        internal readonly bool HasAny => _only is not null || _many is { Count: > 0 };

        internal readonly KeyResolution ToResolution() =>
            _only is not null ? KeyResolution.Found(_only)
            : _many is { Count: > 0 } ? KeyResolution.Found(_many)
            : _unavailable ? KeyResolution.Unavailable
            : _notForIssuer ? KeyResolution.NotForIssuer
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

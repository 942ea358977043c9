using Bearer.Auth.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bearer.Auth.Keys.Remote;

/// <summary>
/// The resolver of a scheme with remote key sources: the static keys (if any) plus one source per authority. Each
/// source only serves tokens of its own issuer. A cache hit reads snapshots without locks or allocations; only when
/// no key matches the token's kid (and no cached key has that kid) are the sources that could serve the token's
/// issuer refreshed, once per cooldown, and the same request is then resolved against the new keys.
/// </summary>
internal sealed class RemoteSigningKeyResolver : ISigningKeyResolver, IIssuerBoundKeyResolver, IDisposable
{
    private readonly SigningKeyIndex? _staticKeys;
    private readonly RemoteKeySource[] _sources;
    private readonly TimeSpan _waitTimeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    internal RemoteSigningKeyResolver(IReadOnlyList<SigningKey> staticKeys, RemoteKeySource[] sources, RemoteKeySetOptions settings, TimeProvider time, ILogger logger)
    {
        _staticKeys = staticKeys.Count == 0 ? null : new SigningKeyIndex(staticKeys);
        _sources = sources;
        _waitTimeout = settings.RefreshWaitTimeout;
        PrewarmOnStartup = settings.PrewarmOnStartup;
        _time = time;
        _logger = logger;
    }

    internal IReadOnlyList<RemoteKeySource> Sources => _sources;

    internal bool PrewarmOnStartup { get; }

    /// <summary>
    /// Builds the resolver for <paramref name="options"/>: a <see cref="StaticSigningKeyResolver"/> when no remote
    /// source is configured, otherwise static keys plus one source per valid entry (invalid entries are reported by
    /// options validation, which stops start-up, so no valid entry is ever silently dropped at run time).
    /// </summary>
    internal static ISigningKeyResolver Create(BearerJwtOptions options, List<SigningKey> staticKeys, IServiceProvider services, TimeProvider time)
    {
        var configured = false;
        var endpoints = new List<RemoteKeyEndpoint>();
        foreach (var (prefix, entry, requireHttps) in RemoteKeyEndpoint.EntriesOf(options))
        {
            configured = true;
            if (RemoteKeyEndpoint.Create(prefix, entry, requireHttps, static (_, _) => { }) is { } endpoint)
            {
                endpoints.Add(endpoint);
            }
        }

        if (!configured)
        {
            return new StaticSigningKeyResolver(staticKeys);
        }

        var httpClientFactory = services.GetService<IHttpClientFactory>();
        if (httpClientFactory is null)
        {
            options.ConfigurationErrors.Add("Remote key sources need an IHttpClientFactory: register one with services.AddHttpClient().");
            return new StaticSigningKeyResolver(staticKeys);
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(RemoteSigningKeyResolver).FullName!) ?? NullLogger.Instance;
        var fetcher = new RemoteKeySetFetcher(httpClientFactory, options.RemoteKeys);
        var sources = new RemoteKeySource[endpoints.Count];
        for (var i = 0; i < sources.Length; i++)
        {
            sources[i] = new RemoteKeySource(endpoints[i], fetcher, options.RemoteKeys, time, logger);
        }

        return new RemoteSigningKeyResolver(staticKeys, sources, options.RemoteKeys, time, logger);
    }

    /// <inheritdoc />
    public ValueTask<SigningKeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        var keys = Lookup(header, issuer, out var needsFetch, out _);
        if (keys is not null)
        {
            return ValueTask.FromResult(SigningKeyResolution.Found(keys));
        }

        // Nothing to fetch: the kid is known under another algorithm or issuer, or no source serves this issuer.
        return needsFetch ? FetchAndResolveAsync(header, issuer, cancellationToken) : ValueTask.FromResult(SigningKeyResolution.NotFound);
    }

    /// <inheritdoc />
    public bool HasKeysBoundTo(string issuer)
    {
        if (_staticKeys is not null && _staticKeys.HasKeysBoundTo(issuer))
        {
            return true;
        }

        foreach (var source in _sources)
        {
            if (source.BindsKeysTo(issuer))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fetches the pre-warm sets, waiting at most the refresh wait timeout; never throws.</summary>
    internal async Task PrewarmAsync(CancellationToken cancellationToken)
    {
        var fetches = new Task[_sources.Length];
        for (var i = 0; i < _sources.Length; i++)
        {
            fetches[i] = _sources[i].RefreshAsync();
        }

        try
        {
            await Task.WhenAll(fetches).WaitAsync(_waitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RemoteKeyLog.WaitTimedOut(_logger, _waitTimeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Start-up was cancelled; the fetches carry on in the background.
        }
    }

    public void Dispose()
    {
        foreach (var source in _sources)
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// The cached candidates, or null. <paramref name="needsFetch"/>: a source that could serve the issuer has no key
    /// for the kid (and does not know the kid) or no key set. <paramref name="usable"/>: some key set is in use.
    /// </summary>
    private IReadOnlyList<SigningKey>? Lookup(JwsHeader header, string? issuer, out bool needsFetch, out bool usable)
    {
        needsFetch = false;
        usable = false;
        IReadOnlyList<SigningKey>? found = null;
        var issuerHasBoundKeys = issuer is not null && HasKeysBoundTo(issuer);
        if (_staticKeys is not null && (!issuerHasBoundKeys || _staticKeys.HasKeysBoundTo(issuer!)))
        {
            usable = true;
            var keys = _staticKeys.Find(header.Algorithm, header.KeyId, issuer);
            if (keys.Count > 0)
            {
                found = keys;
            }
        }

        foreach (var source in _sources)
        {
            if (!Serves(source, issuer, issuerHasBoundKeys))
            {
                continue;
            }

            var keys = source.Find(header.Algorithm, header.KeyId, issuer, out var state);
            switch (state)
            {
                case RemoteKeySource.LookupState.Hit:
                    usable = true;
                    found = found is null ? keys : Concat(found, keys);
                    break;
                case RemoteKeySource.LookupState.KnownKeyId:
                    usable = true;
                    break;
                case RemoteKeySource.LookupState.Miss:
                    usable = true;
                    needsFetch = true;
                    break;
                default:
                    needsFetch = true;
                    break;
            }
        }

        return found;
    }

    private async ValueTask<SigningKeyResolution> FetchAndResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        // The deadline exists before any fetch starts, so a fetch that hangs can never hold the request longer.
        using var deadline = new CancellationTokenSource(_waitTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var fetches = new List<Task>(_sources.Length);
        var timedOut = false;

        // Two passes at most: a request may join a background fetch that read the set just before a rotation; if
        // that left the kid unknown, the request may start one fetch of its own (still subject to the cooldown).
        for (var pass = 0; pass < 2 && !timedOut; pass++)
        {
            fetches.Clear();
            var pending = false;
            var issuerHasBoundKeys = issuer is not null && HasKeysBoundTo(issuer);
            foreach (var source in _sources)
            {
                if (Serves(source, issuer, issuerHasBoundKeys))
                {
                    source.Find(header.Algorithm, header.KeyId, issuer, out var state);
                    if (state is RemoteKeySource.LookupState.Miss or RemoteKeySource.LookupState.NoKeys)
                    {
                        var fetch = source.RefreshForUnknownKeyAsync();
                        pending |= !fetch.IsCompleted;
                        fetches.Add(fetch);
                    }
                }
            }

            if (!pending)
            {
                break;
            }

            try
            {
                await Task.WhenAll(fetches).WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                timedOut = true;
                RemoteKeyLog.WaitTimedOut(_logger, _waitTimeout);
            }
        }

        var keys = Lookup(header, issuer, out _, out var usable);
        if (keys is not null)
        {
            return SigningKeyResolution.Found(keys);
        }

        return usable && !timedOut ? SigningKeyResolution.NotFound : SigningKeyResolution.Unavailable;
    }

    /// <summary>
    /// Whether <paramref name="source"/> may answer for <paramref name="issuer"/>. As in <see cref="SigningKeyIndex"/>, an
    /// issuer with keys bound to it anywhere in this scheme is served by those keys only: an unbound source (a bare
    /// JWKS) never adds candidates for it, so a general-purpose key cannot sign as an authority's issuer.
    /// </summary>
    private static bool Serves(RemoteKeySource source, string? issuer, bool issuerHasBoundKeys) =>
        source.MayServe(issuer) && (!issuerHasBoundKeys || source.Issuer is not null);

    private static SigningKey[] Concat(IReadOnlyList<SigningKey> first, IReadOnlyList<SigningKey> second)
    {
        var all = new SigningKey[first.Count + second.Count];
        for (var i = 0; i < first.Count; i++)
        {
            all[i] = first[i];
        }

        for (var i = 0; i < second.Count; i++)
        {
            all[first.Count + i] = second[i];
        }

        return all;
    }
}

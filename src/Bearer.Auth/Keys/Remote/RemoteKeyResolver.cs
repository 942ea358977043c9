using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bearer.Auth;

/// <summary>
/// Resolves keys from remote sources: OpenID Providers found by discovery and bare JSON Web Key Sets, each source's
/// keys bound to its own issuer. A cache hit reads immutable snapshots without locks or allocations. Only when no key
/// of a source that may serve the token's issuer matches its <c>kid</c> is that source refreshed, at most once per
/// <see cref="RemoteKeySetOptions.UnknownKeyCooldown"/>, and the same request then resolved against the new keys.
/// </summary>
/// <remarks>
/// The scheme builds one from its <c>Authority</c>, <c>MetadataAddress</c>, <c>JwksUri</c> and <c>Authorities</c>
/// settings; create one yourself to wrap it in a resolver of your own. Dispose it to stop its background refreshes.
/// </remarks>
public sealed class RemoteKeyResolver : IRemoteKeyResolver, IKeylessRefresh, IDisposable
{
    private readonly RemoteKeySource[] _sources;
    private readonly RemoteKeySetOptions _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a resolver over <paramref name="authorities"/>; nothing is fetched until it is asked or warmed up.</summary>
    /// <param name="authorities">The sources; an entry's <c>RequireHttpsMetadata</c> left unset means HTTPS is required.</param>
    /// <param name="settings">How key sets are fetched, cached and refreshed; copied.</param>
    /// <param name="httpClientFactory">Creates the client named <see cref="RemoteKeySetOptions.HttpClientName"/>.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where fetches and refusals are logged; defaults to nowhere.</param>
    /// <exception cref="ArgumentException">
    /// An entry or a setting is invalid (the message names each and why), or there is no entry.
    /// </exception>
    public RemoteKeyResolver(
        IEnumerable<RemoteKeyAuthority> authorities,
        RemoteKeySetOptions settings,
        IHttpClientFactory httpClientFactory,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(CreateEndpoints(authorities, settings), settings, httpClientFactory, timeProvider, loggerFactory)
    {
    }

    /// <summary>The scheme's resolver, over endpoints its options validation has checked (with the scheme's issuers).</summary>
    internal RemoteKeyResolver(
        IReadOnlyList<RemoteKeyEndpoint> endpoints,
        RemoteKeySetOptions settings,
        IHttpClientFactory httpClientFactory,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _settings = settings.Clone();
        _time = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory?.CreateLogger(typeof(RemoteKeyResolver).FullName!) ?? NullLogger.Instance;
        var fetcher = new RemoteKeySetFetcher(httpClientFactory, _settings, _logger);
        _sources = new RemoteKeySource[endpoints.Count];
        for (var i = 0; i < _sources.Length; i++)
        {
            _sources[i] = new RemoteKeySource(endpoints[i], fetcher, _settings, _time, _logger);
        }
    }

    internal IReadOnlyList<RemoteKeySource> Sources => _sources;

    /// <summary>Checks the entries and settings of the public constructor; throws naming every problem.</summary>
    private static List<RemoteKeyEndpoint> CreateEndpoints(IEnumerable<RemoteKeyAuthority> authorities, RemoteKeySetOptions settings)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        var endpoints = new List<RemoteKeyEndpoint>();
        var index = 0;
        foreach (var authority in authorities)
        {
            ArgumentNullException.ThrowIfNull(authority, nameof(authorities));
            var endpoint = RemoteKeyEndpoint.Create(
                $"Authorities:{index++}:", authority, authority.RequireHttpsMetadata ?? true, metadataIssuers: [], (setting, message) => problems.Add($"{setting} {message}"));
            if (endpoint is not null)
            {
                endpoints.Add(endpoint);
            }
        }

        foreach (var (setting, message) in settings.FindProblems())
        {
            problems.Add($"RemoteKeySetOptions.{setting} {message}");
        }

        if (problems.Count > 0 || endpoints.Count == 0)
        {
            throw new ArgumentException(problems.Count > 0 ? string.Join(" ", problems) : "At least one authority is required.", nameof(authorities));
        }

        return endpoints;
    }

    /// <inheritdoc />
    public ValueTask<KeyResolution> ResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        // No fetch for a cached candidate, a kid known under another algorithm, or an issuer no source serves.
        var cached = ResolveFromCache(header, issuer, out var fetchNeed);
        return fetchNeed == RemoteFetchNeed.None ? ValueTask.FromResult(cached) : FetchAndResolveAsync(header, issuer, cancellationToken);
    }

    /// <summary>
    /// The cached candidates, never fetching; <paramref name="fetchNeed"/> says why <see cref="ResolveAsync"/> would
    /// fetch. The scheme's composite resolver uses it to fetch for an unknown <c>kid</c> only when no resolver of the
    /// scheme had a candidate, so a token signed by a configured key never waits on (or triggers) a remote fetch.
    /// </summary>
    internal KeyResolution ResolveFromCache(JwsHeader header, string? issuer, out RemoteFetchNeed fetchNeed)
    {
        var keys = Lookup(header, issuer, out fetchNeed, out _);
        if (keys is not null)
        {
            fetchNeed = RemoteFetchNeed.None; // a cached candidate is answered without a fetch
            return KeyResolution.Found(keys);
        }

        return NotFound(header);
    }

    /// <inheritdoc />
    public bool HasKeysBoundTo(string issuer)
    {
        foreach (var source in _sources)
        {
            if (source.BindsKeysTo(issuer))
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    async ValueTask<bool> IKeylessRefresh.RefreshForKeylessTokenAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        if (header.KeyId is not null)
        {
            return false; // a bad signature under a known kid never refreshes
        }

        List<Task<bool>>? fetches = null;
        var issuerHasBoundKeys = issuer is not null && HasKeysBoundTo(issuer);
        foreach (var source in _sources)
        {
            if (source.MayServe(issuer, issuerHasBoundKeys))
            {
                source.Find(header.Algorithm, keyId: null, issuer, out var state);
                if (state == RemoteKeySource.LookupState.Hit)
                {
                    (fetches ??= []).Add(source.RefreshForUnknownKeyAsync());
                }
            }
        }

        if (fetches is null)
        {
            return false;
        }

        try
        {
            using var deadline = new CancellationTokenSource(_settings.RefreshWaitTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            var results = await Task.WhenAll(fetches).WaitAsync(linked.Token).ConfigureAwait(false);
            return Array.IndexOf(results, true) >= 0;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            RemoteKeyLog.WaitTimedOut(_logger, _settings.RefreshWaitTimeout);
            return false;
        }
    }

    /// <summary>Fetches every source's key set, waiting at most <see cref="RemoteKeySetOptions.RefreshWaitTimeout"/>; never throws.</summary>
    /// <param name="cancellationToken">Stops waiting; the fetches carry on in the background.</param>
    /// <returns>A task that completes when the sets are fetched or the wait is over.</returns>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var fetches = new Task[_sources.Length];
        for (var i = 0; i < _sources.Length; i++)
        {
            fetches[i] = _sources[i].RefreshAsync();
        }

        try
        {
            await Task.WhenAll(fetches).WaitAsync(_settings.RefreshWaitTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            RemoteKeyLog.WaitTimedOut(_logger, _settings.RefreshWaitTimeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Start-up was cancelled; the fetches carry on in the background.
        }
    }

    /// <inheritdoc />
    public HealthCheckResult CheckHealth() => RemoteKeyHealth.Report(_sources, _settings);

    /// <summary>Stops the background refreshes.</summary>
    public void Dispose()
    {
        foreach (var source in _sources)
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// The cached candidates, or null. <paramref name="fetchNeed"/>: a source that may serve the issuer has no key
    /// for the kid (and does not know the kid) or no key set. <paramref name="usable"/>: such a source has a key set.
    /// </summary>
    private IReadOnlyList<VerificationKey>? Lookup(JwsHeader header, string? issuer, out RemoteFetchNeed fetchNeed, out bool usable)
    {
        fetchNeed = RemoteFetchNeed.None;
        usable = false;
        IReadOnlyList<VerificationKey>? found = null;
        var issuerHasBoundKeys = issuer is not null && HasKeysBoundTo(issuer);
        foreach (var source in _sources)
        {
            if (!source.MayServe(issuer, issuerHasBoundKeys))
            {
                continue;
            }

            var keys = source.Find(header.Algorithm, header.KeyId, issuer, out var state);
            switch (state)
            {
                case RemoteKeySource.LookupState.Hit:
                    usable = true;
                    found = found is null ? keys : [.. found, .. keys];
                    break;
                case RemoteKeySource.LookupState.KnownKeyId:
                    usable = true;
                    break;
                case RemoteKeySource.LookupState.Miss:
                    usable = true;
                    if (fetchNeed == RemoteFetchNeed.None)
                    {
                        fetchNeed = RemoteFetchNeed.UnknownKeyId;
                    }

                    break;
                default:
                    fetchNeed = RemoteFetchNeed.NoKeySet;
                    break;
            }
        }

        return found;
    }

    private async ValueTask<KeyResolution> FetchAndResolveAsync(JwsHeader header, string? issuer, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_settings.RefreshWaitTimeout, _time);
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
                if (source.MayServe(issuer, issuerHasBoundKeys))
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
                RemoteKeyLog.WaitTimedOut(_logger, _settings.RefreshWaitTimeout);
            }
        }

        var keys = Lookup(header, issuer, out _, out var usable);
        if (keys is not null)
        {
            return KeyResolution.Found(keys);
        }

        return usable && !timedOut ? NotFound(header) : KeyResolution.Unavailable;
    }

    /// <summary>
    /// No key serves the token: <see cref="KeyResolution.NotForIssuer"/> when some source has a key of its algorithm
    /// (and kid) for other issuers, so the reason says the key exists but may not sign for this issuer.
    /// </summary>
    private KeyResolution NotFound(JwsHeader header)
    {
        foreach (var source in _sources)
        {
            if (source.HasKeysForOtherIssuers(header.Algorithm, header.KeyId))
            {
                return KeyResolution.NotForIssuer;
            }
        }

        return KeyResolution.NotFound;
    }
}

using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

// Over 300 lines because one source owns one state machine: snapshot, single-flight fetch, cooldown, backoff and
// the refresh timer share a lock and must be read together.

/// <summary>
/// The cached key set of one remote source. Lookups read an immutable snapshot (a <see cref="KeyIndex"/>), so
/// a cache hit takes no lock and allocates nothing. Fetches are single-flight: background refreshes on an interval,
/// and at most one fetch per cooldown caused by an unknown <c>kid</c>; concurrent callers share the fetch in flight.
/// A failed or malformed fetch keeps the last good set (up to the maximum staleness) and retries with a doubling
/// delay; a well-formed empty set replaces it, since a provider that empties its key set is revoking its keys.
/// </summary>
internal sealed class RemoteKeySource : IDisposable
{
    private readonly RemoteKeyEndpoint _endpoint;
    private readonly RemoteKeySetFetcher _fetcher;
    private readonly RemoteKeySetOptions _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();

    private volatile Snapshot? _snapshot;
    private Task<bool>? _inFlight;
    private DateTimeOffset? _lastUnknownKeyFetch;
    private ITimer? _timer;
    private int _consecutiveFailures;
    private DateTimeOffset? _lastAttempt;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;
    private TimeSpan _currentInterval;
    private int _staleLogged;
    private volatile bool _issuerMismatch;
    private volatile string? _mismatchedIssuer;
    private string? _loggedMismatch;
    private readonly string[] _servedBeforeFetch;
    private readonly string[] _boundBeforeFetch;

    internal RemoteKeySource(RemoteKeyEndpoint endpoint, RemoteKeySetFetcher fetcher, RemoteKeySetOptions settings, TimeProvider time, ILogger logger)
    {
        _endpoint = endpoint;
        _fetcher = fetcher;
        _settings = settings;
        _time = time;
        _logger = logger;
        _currentInterval = settings.RefreshInterval;
        _servedBeforeFetch = [.. endpoint.ExpectedIssuers, .. endpoint.AdditionalIssuers];
        _boundBeforeFetch = [.. endpoint.BoundBeforeFetch, .. endpoint.AdditionalIssuers];
    }

    internal enum LookupState
    {
        /// <summary>Keys were found.</summary>
        Hit,

        /// <summary>No key matches, but the kid is known (another algorithm or issuer): a fetch cannot help.</summary>
        KnownKeyId,

        /// <summary>No key matches the kid (or the algorithm, for a token without kid): a fetch may help.</summary>
        Miss,

        /// <summary>There is no usable key set (never fetched, or too stale).</summary>
        NoKeys,
    }

    internal string Label => _endpoint.Label;

    /// <summary>The fetch in flight, for tests and the pre-warm; a completed task when idle.</summary>
    internal Task InFlight
    {
        get
        {
            lock (_gate)
            {
                return _inFlight ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>
    /// Whether this source's keys may serve tokens of <paramref name="issuer"/> (<see cref="IssuerBinding.Serves"/>),
    /// so that a token of another issuer never makes it fetch. Before the first fetch it serves every issuer its
    /// metadata may name. A source whose metadata named an issuer it does not accept, and which has no keys, also
    /// serves that stated issuer: the provider's real tokens are not known to be bad, so they fail with
    /// <see cref="TokenFailureReason.KeySourceUnavailable"/> (503), not as if no key matched.
    /// </summary>
    internal bool MayServe(string? issuer, bool issuerHasBoundKeys)
    {
        var snapshot = _snapshot;
        var issuers = snapshot is null ? _servedBeforeFetch : snapshot.Issuers;
        if (issuers.Length == 0)
        {
            return !issuerHasBoundKeys;
        }

        return issuer is not null
            && (Array.IndexOf(issuers, issuer) >= 0 || (snapshot is null && string.Equals(issuer, _mismatchedIssuer, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Whether this source binds its keys to <paramref name="issuer"/>: the issuers of its key set, or before the first
    /// fetch those it will certainly bind (<see cref="RemoteKeyEndpoint.BoundBeforeFetch"/>).
    /// </summary>
    internal bool BindsKeysTo(string issuer) =>
        Array.IndexOf(_snapshot is { } snapshot ? snapshot.Issuers : _boundBeforeFetch, issuer) >= 0;

    /// <summary>Looks up the cached keys serving <paramref name="issuer"/>; never fetches, never allocates.</summary>
    internal IReadOnlyList<VerificationKey> Find(string algorithm, string? keyId, string? issuer, out LookupState state)
    {
        var snapshot = _snapshot;
        if (snapshot is null)
        {
            state = LookupState.NoKeys;
            return [];
        }

        var age = _time.GetUtcNow() - snapshot.FetchedAt;
        if (age > _settings.MaximumStaleness)
        {
            if (Interlocked.Exchange(ref _staleLogged, 1) == 0)
            {
                RemoteKeyLog.TooStale(_logger, _endpoint.Label, age);
            }

            state = LookupState.NoKeys;
            return [];
        }

        var keys = snapshot.Index.Find(algorithm, keyId, issuer);
        if (keys.Count > 0)
        {
            state = LookupState.Hit;
        }
        else
        {
            state = keyId is not null && snapshot.Index.ContainsKeyId(keyId) ? LookupState.KnownKeyId : LookupState.Miss;
        }

        return keys;
    }

    /// <summary>
    /// Whether a cached key of <paramref name="algorithm"/> (and <paramref name="keyId"/>) exists for issuers other
    /// than the token's: the failure path's way to say "no key may sign for this issuer".
    /// </summary>
    internal bool HasKeysForOtherIssuers(string algorithm, string? keyId) =>
        _snapshot is { } snapshot && snapshot.Index.HasKeysForOtherIssuers(algorithm, keyId);

    /// <summary>
    /// Starts (or joins) a fetch because a token's kid is unknown or there are no keys. Returns a completed
    /// <see langword="false"/> without fetching when the cooldown since the last such fetch has not passed.
    /// </summary>
    internal Task<bool> RefreshForUnknownKeyAsync()
    {
        lock (_gate)
        {
            if (_inFlight is { IsCompleted: false } running)
            {
                return running;
            }

            var now = _time.GetUtcNow();
            if (_lastUnknownKeyFetch is { } last && now - last < _settings.UnknownKeyCooldown)
            {
                RemoteKeyLog.RefreshCoolingDown(_logger, _endpoint.Label);
                return Task.FromResult(false);
            }

            _lastUnknownKeyFetch = now;
            RemoteKeyLog.RefreshForUnknownKey(_logger, _endpoint.Label);
            return StartLocked();
        }
    }

    /// <summary>Starts (or joins) a fetch regardless of the cooldown: start-up pre-warm and the background schedule.</summary>
    internal Task<bool> RefreshAsync()
    {
        lock (_gate)
        {
            return _inFlight is { IsCompleted: false } running ? running : StartLocked();
        }
    }

    /// <summary>What the health check reports.</summary>
    internal RemoteKeySourceStatus GetStatus()
    {
        var snapshot = _snapshot;
        lock (_gate)
        {
            return new RemoteKeySourceStatus(
                _endpoint.Label,
                snapshot?.Issuer ?? _endpoint.Issuer,
                snapshot?.JwkCount ?? 0,
                snapshot?.FetchedAt,
                snapshot is null ? null : _time.GetUtcNow() - snapshot.FetchedAt,
                _lastAttempt,
                _lastFailure,
                _lastError,
                _currentInterval,
                _consecutiveFailures,
                _issuerMismatch);
        }
    }

    public void Dispose()
    {
        // The token source is not disposed: fetches in flight still read it. It holds no timer.
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _disposed.Cancel();
        }
    }

    private Task<bool> StartLocked()
    {
        if (_disposed.IsCancellationRequested)
        {
            return Task.FromResult(false);
        }

        _lastAttempt = _time.GetUtcNow();
        var task = FetchAndApplyAsync(_disposed.Token);
        _inFlight = task;
        return task;
    }

    private async Task<bool> FetchAndApplyAsync(CancellationToken disposed)
    {
        // Leave the caller's lock and thread before any work: callers only ever join the task.
        await Task.Yield();
        TimeSpan next;
        bool success;
        using var activity = BearerJwtTelemetry.StartKeyFetch(_endpoint.Label);
        try
        {
            using var timeout = new CancellationTokenSource(_settings.FetchTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, disposed);
            RemoteKeySetFetcher.FetchedKeySet fetched;
            try
            {
                fetched = await _fetcher.FetchAsync(_endpoint, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !disposed.IsCancellationRequested)
            {
                throw new RemoteKeyFetchException($"The fetch did not complete within {_settings.FetchTimeout}.");
            }

            foreach (var problem in fetched.Problems)
            {
                RemoteKeyLog.KeySkipped(_logger, _endpoint.Label, problem);
            }

            var now = _time.GetUtcNow();
            next = IntervalFor(fetched.MaxAge);
            bool emptied;
            lock (_gate)
            {
                emptied = fetched.Keys.Count == 0 && _snapshot is not { JwkCount: 0 };
                _snapshot = new Snapshot(
                    new KeyIndex(KeepUnchangedKeys(_snapshot, fetched.Keys)), fetched.Issuer, BoundIssuers(fetched.Issuer), fetched.JwkCount, now);
                _consecutiveFailures = 0;
                _issuerMismatch = false;
                _mismatchedIssuer = null;
                _loggedMismatch = null;
                _lastError = null;
                _currentInterval = next;
                _staleLogged = 0;
            }

            // Warned once when the set becomes empty, not at every refresh that finds it still empty.
            if (emptied)
            {
                RemoteKeyLog.KeySetEmpty(_logger, _endpoint.Label, next);
            }
            else
            {
                RemoteKeyLog.Refreshed(_logger, _endpoint.Label, fetched.JwkCount, next);
            }
            activity?.SetTag(BearerJwtTelemetry.ResultTag, "success");
            success = true;
        }
        catch (Exception ex)
        {
            // Whatever failed (the provider, the network, or a handler the app added to the named client, such as an
            // open circuit breaker), the last good set keeps serving and the next attempt is scheduled: a fetch must
            // never break the source, fail start-up or surface as a 500.
            if (disposed.IsCancellationRequested)
            {
                return false;
            }

            var error = ex is RemoteKeyFetchException ? ex.Message : $"{ex.GetType().Name}: the request failed.";
            if (ex is HttpRequestException { HttpRequestError: var kind })
            {
                error = $"The request failed ({kind}).";
            }

            var firstMismatch = false;
            lock (_gate)
            {
                _consecutiveFailures++;
                _lastFailure = _time.GetUtcNow();
                _lastError = error;
                next = RetryDelay(_consecutiveFailures);
                if (ex is RemoteKeyIssuerMismatchException mismatch)
                {
                    _issuerMismatch = true;
                    _mismatchedIssuer = mismatch.MetadataIssuer;
                    firstMismatch = !string.Equals(_loggedMismatch, error, StringComparison.Ordinal);
                    _loggedMismatch = error;
                }
            }

            // A mismatch is a configuration problem that retries do not fix: logged once (until the issuer changes).
            if (ex is not RemoteKeyIssuerMismatchException)
            {
                RemoteKeyLog.FetchFailed(_logger, _endpoint.Label, error, _snapshot is not null, next);
            }
            else if (firstMismatch)
            {
                RemoteKeyLog.IssuerMismatch(_logger, _endpoint.Label, error);
            }
            activity?.SetTag(BearerJwtTelemetry.ResultTag, "failure");
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
            success = false;
        }

        lock (_gate)
        {
            _inFlight = null;
            if (!disposed.IsCancellationRequested)
            {
                _timer ??= CreateRefreshTimer();
                _timer.Change(next, Timeout.InfiniteTimeSpan);
            }
        }

        return success;
    }

    /// <summary>
    /// The background-refresh timer, created outside the current execution context: a timer runs its callback in the
    /// context it captured, so every later refresh would otherwise run in the first fetch's, its span the parent of
    /// every refresh span (in the trace of the request that caused that fetch) and that request's async locals kept alive.
    /// </summary>
    private ITimer CreateRefreshTimer()
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return CreateTimer();
        }

        using (ExecutionContext.SuppressFlow())
        {
            return CreateTimer();
        }

        ITimer CreateTimer() =>
            _time.CreateTimer(static state => _ = ((RemoteKeySource)state!).RefreshAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The configured interval, shortened by the response's max-age, kept within the minimum and maximum.</summary>
    private TimeSpan IntervalFor(TimeSpan? maxAge)
    {
        var interval = maxAge is { } age && age < _settings.RefreshInterval ? age : _settings.RefreshInterval;
        if (interval < _settings.MinimumRefreshInterval)
        {
            interval = _settings.MinimumRefreshInterval;
        }

        return interval > _settings.MaximumRefreshInterval ? _settings.MaximumRefreshInterval : interval;
    }

    private TimeSpan RetryDelay(int failures)
    {
        var delay = _settings.RetryDelay;
        for (var i = 1; i < failures && delay < _settings.MaximumRetryDelay; i++)
        {
            delay += delay;
        }

        return delay > _settings.MaximumRetryDelay ? _settings.MaximumRetryDelay : delay;
    }

    /// <summary>
    /// The fetched keys, with every key the previous set already had (same alg, kid, issuer and material) replaced by
    /// the previous instance: a refresh that changes nothing keeps warm crypto contexts and repeat-token cache entries.
    /// </summary>
    private static IReadOnlyList<VerificationKey> KeepUnchangedKeys(Snapshot? previous, IReadOnlyList<VerificationKey> fetched)
    {
        if (previous is null)
        {
            return fetched;
        }

        var keys = new VerificationKey[fetched.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = fetched[i];
            foreach (var known in previous.Index.Keys)
            {
                if (known.IsSameKeyAs(fetched[i]))
                {
                    keys[i] = known;
                    break;
                }
            }
        }

        return keys;
    }

    /// <summary>The issuers a fetched set's keys are bound to: the metadata's (or configured) issuer and the additional ones.</summary>
    private string[] BoundIssuers(string? issuer) =>
        issuer is null ? _endpoint.AdditionalIssuers : [issuer, .. _endpoint.AdditionalIssuers];

    private sealed record Snapshot(KeyIndex Index, string? Issuer, string[] Issuers, int JwkCount, DateTimeOffset FetchedAt);
}

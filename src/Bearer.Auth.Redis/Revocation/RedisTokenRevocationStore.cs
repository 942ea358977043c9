using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>
/// Revocations shared by every instance of the application through Redis, checked from a local view: a revocation
/// made on one instance is refused by all of them within milliseconds (pub/sub), and a request costs no round trip.
/// </summary>
/// <remarks>
/// <para>
/// <b>Writes.</b> Each revocation is one Lua script: it bumps a version counter, adds the entry to a log in Redis, and
/// publishes it; the call returns once Redis has it, and the entry is then in this instance's view too (when the view
/// followed other data, an emptied Redis for instance, it is rebuilt first, so it never mixes entries of two epochs). Entries end at
/// their <c>until</c>: each write trims ended ones and sets every key to expire with the latest end still held, so
/// Redis holds the live revocations only. Times (the subject cut-off, the ends) are read from this store's
/// <see cref="TimeProvider"/> and sent as durations, so Redis's clock need not agree.
/// </para>
/// <para>
/// <b>Redis unreachable during a write.</b> The call throws <see cref="TokenStoreUnavailableException"/> (at once
/// when the connection is down, after the multiplexer's timeout when Redis does not answer) and nothing is applied
/// locally, so a view never holds a revocation Redis does not: retry the call, which is idempotent. A write whose
/// answer was lost may still have been recorded; retrying it changes nothing then.
/// </para>
/// <para>
/// <b>The view.</b> Every instance holds all live entries in memory and applies each published one in version order;
/// a gap in the versions makes it read what it missed from the log; another epoch (Redis lost or replaced its data),
/// a reconnection, or data gone back under the same epoch (a version lower than the view's, or another entry at a
/// version the view holds: Redis restarted without its last writes, failed over to a lagging replica, or evicted a
/// key) makes it rebuild the whole view aside and swap it in. Pub/sub loses what is published while a
/// client is disconnected, so the view is trusted only while Redis confirms it: every
/// <see cref="BearerJwtRedisRevocationOptions.HeartbeatInterval"/> the store reads Redis's epoch and version (and any
/// entries it lacks). A view confirmed less than <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/> ago
/// answers; an older one answers <see cref="TokenRevocationStatus.Unavailable"/> (a 503 with <c>Retry-After</c>), or,
/// with <see cref="BearerJwtRedisRevocationOptions.FailOpen"/>, answers from what it has, counted and logged. Keyspace
/// expiry events are never used.
/// </para>
/// <para>
/// <b>Start.</b> Until the first confirmation the view is not trusted: checks answer Unavailable. The store starts
/// following Redis when created; <c>AddBearerJwtRedis</c> creates it at start-up and waits up to
/// <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/> for that first confirmation, without failing
/// start-up when Redis is down.
/// </para>
/// <para>
/// <b>Redis restarted empty.</b> Its data has a new epoch (or none), so every view is rebuilt from what Redis holds:
/// revocations Redis lost are dropped everywhere, not kept by the instances that happened to see them (which would
/// make instances disagree). Keep them by running Redis with persistence (append-only file) or replicas.
/// </para>
/// <para>
/// Trust is measured on <see cref="TimeProvider.System"/>'s timestamps, not on <c>timeProvider</c>: it paces network
/// round trips, whereas <c>timeProvider</c> says when revocations end. Each confirmation arms a timer for the bound
/// and the timer clears a flag, so a check reads one field and no clock.
/// </para>
/// </remarks>
public sealed class RedisTokenRevocationStore : ITokenRevocationStore, IAsyncDisposable, IDisposable
{
    private const string StoreName = "revocation store";
    private const int RecentCount = 256;

    private readonly Func<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly BearerJwtRedisRevocationOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeProvider _trustClock;
    private readonly long _trustWindow;
    private readonly bool _failOpen;
    private readonly ILogger _logger;
    private readonly RevocationTelemetry _telemetry;
    private readonly RedisKey[] _writeKeys;
    private readonly RedisKey[] _syncKeys;
    private readonly RedisChannel _channel;
    private readonly string _channelName;

    /// <summary>Serialises every change of the view and of the version it is at (messages, heartbeats, local writes).</summary>
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstConfirmation = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _running;

    private volatile InMemoryTokenRevocationStore _view;
    private string _epoch = "";
    private long _version;

    /// <summary>
    /// The entries the view took in at the last <see cref="RecentCount"/> versions, by version modulo that count: a
    /// message at a version the view already passed is a duplicate only when it holds the same entry there.
    /// </summary>
    private readonly RevocationEntry[] _recent = new RevocationEntry[RecentCount];

    /// <summary>Orders confirmations and the deadline timer, so a late timer never distrusts a view just confirmed.</summary>
    private readonly Lock _trustGate = new();

    /// <summary>Fires when the last confirmation is <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/> old.</summary>
    private readonly ITimer _deadline;

    /// <summary>What checks read: one field, no clock (set by a confirmation, cleared by <see cref="_deadline"/>).</summary>
    private volatile bool _trusted;

    /// <summary>Trust-clock timestamp until which the view answers (its last confirmation plus the window); 0 before any.</summary>
    private long _trustedUntil;
    private long _lastConfirmation;
    private int _inFlightWrites;
    private bool _outageLogged;
    private bool _syncFailureLogged;
    private IConnectionMultiplexer? _connection;
    private ChannelMessageQueue? _subscription;

    /// <summary>Creates a store on a multiplexer the application made, and starts following Redis.</summary>
    /// <param name="multiplexer">The connection to Redis; the store does not dispose it.</param>
    /// <param name="keyPrefix">The prefix of every key and channel the store uses (default <c>bearer:</c>).</param>
    /// <param name="options">How the view is trusted; defaults to <see cref="BearerJwtRedisRevocationOptions"/>'s defaults.</param>
    /// <param name="timeProvider">The clock revocations are timed on (subject cut-offs, ends); defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Where the store logs; none by default.</param>
    /// <param name="meterFactory">Where the store's instruments are created; a meter of its own by default.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it and its value).</exception>
    public RedisTokenRevocationStore(
        IConnectionMultiplexer multiplexer,
        string keyPrefix = "bearer:",
        BearerJwtRedisRevocationOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
        : this(
            RedisConnection.Ready(multiplexer ?? throw new ArgumentNullException(nameof(multiplexer))),
            keyPrefix,
            options ?? new BearerJwtRedisRevocationOptions(),
            timeProvider,
            TimeProvider.System,
            loggerFactory,
            meterFactory)
    {
    }

    /// <summary>Creates the store <c>AddBearerJwtRedis</c> registers, on the connection the Redis stores share.</summary>
    internal RedisTokenRevocationStore(
        RedisConnection connection, BearerJwtRedisRevocationOptions options, TimeProvider? timeProvider, ILoggerFactory? loggerFactory, IMeterFactory? meterFactory)
        : this(connection.GetMultiplexerAsync, connection.KeyPrefix, options, timeProvider, TimeProvider.System, loggerFactory, meterFactory)
    {
    }

    /// <summary>
    /// The full constructor; tests pass their own <paramref name="trustClock"/>. <paramref name="multiplexer"/> is asked
    /// again after a failed connect.
    /// </summary>
    internal RedisTokenRevocationStore(
        Func<Task<IConnectionMultiplexer>> multiplexer,
        string keyPrefix,
        BearerJwtRedisRevocationOptions options,
        TimeProvider? timeProvider,
        TimeProvider trustClock,
        ILoggerFactory? loggerFactory,
        IMeterFactory? meterFactory)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } invalid)
        {
            throw new ArgumentException(invalid, nameof(options));
        }

        _multiplexer = multiplexer;
        _options = options;
        _failOpen = options.FailOpen;
        _time = timeProvider ?? TimeProvider.System;
        _trustClock = trustClock;
        _trustWindow = (long)(options.UnavailableAfter.TotalSeconds * trustClock.TimestampFrequency);
        _logger = (ILogger?)loggerFactory?.CreateLogger<RedisTokenRevocationStore>() ?? NullLogger.Instance;
        _telemetry = new RevocationTelemetry(meterFactory, () => ViewAge?.TotalSeconds);
        var prefix = keyPrefix + "rv:";
        _writeKeys = [prefix + "epoch", prefix + "version", prefix + "log", prefix + "until"];
        _syncKeys = [_writeKeys[0], _writeKeys[1], _writeKeys[2]];
        _channelName = prefix + "events";
        _channel = RedisChannel.Literal(_channelName);
        _view = new InMemoryTokenRevocationStore(_time);
        _deadline = trustClock.CreateTimer(static state => ((RedisTokenRevocationStore)state!).OnDeadline(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _running = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>The entries the view holds, live or not yet swept (tests check that memory follows live revocations).</summary>
    internal int ViewCount => _view.Count;

    /// <summary>The version the view is at: every entry up to it is in the view.</summary>
    internal long Version => Volatile.Read(ref _version);

    /// <summary>The epoch of the data the view was built from; empty when Redis held none.</summary>
    internal string Epoch => Volatile.Read(ref _epoch);

    /// <summary>Whether checks are answered from the view now (Redis confirmed it within the window).</summary>
    internal bool IsTrusted => _trusted;

    /// <summary>Time since Redis last confirmed the view; <see langword="null"/> before the first confirmation.</summary>
    internal TimeSpan? ViewAge
    {
        get
        {
            var at = Volatile.Read(ref _lastConfirmation);
            return at == 0 ? null : _trustClock.GetElapsedTime(at);
        }
    }

    /// <summary>Revocation writes waiting for Redis's answer now.</summary>
    internal int InFlightWrites => Volatile.Read(ref _inFlightWrites);

    /// <summary>Whether the multiplexer is connected now.</summary>
    internal bool IsConnected => _connection?.IsConnected == true;

    internal BearerJwtRedisRevocationOptions Options => _options;

    /// <inheritdoc />
    /// <remarks>
    /// Answers from the local view, without a round trip or an allocation, while Redis confirmed it within
    /// <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/>; otherwise <see cref="TokenRevocationStatus.Unavailable"/>
    /// (or, failing open, from the stale view).
    /// </remarks>
    public ValueTask<TokenRevocationStatus> CheckAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!_trusted)
        {
            if (!_failOpen)
            {
                return ValueTask.FromResult(TokenRevocationStatus.Unavailable);
            }

            _telemetry.FailOpenAnswer();
        }

        return ValueTask.FromResult(_view.IsRevoked(token) ? TokenRevocationStatus.Revoked : TokenRevocationStatus.NotRevoked);
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time; nothing was applied.</exception>
    public ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenId);
        return WriteAsync(RevocationKind.Token, tokenId, 0, until, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time; nothing was applied.</exception>
    public ValueTask RevokeSessionAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        return WriteAsync(RevocationKind.Session, sessionId, 0, until, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The cut-off is this store's clock at the call, sent with the entry so every instance applies the same one.</remarks>
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time; nothing was applied.</exception>
    public ValueTask RevokeSubjectAsync(string subject, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        return WriteAsync(RevocationKind.Subject, subject, _time.GetUtcNow().UtcTicks, until, cancellationToken);
    }

    /// <summary>Stops following Redis (the view then ages out of trust). Does not close the multiplexer.</summary>
    /// <returns>A task that completes when the store has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
        await _deadline.DisposeAsync().ConfigureAwait(false);
        if (_connection is { } connection)
        {
            connection.ConnectionRestored -= OnConnectionRestored;
        }

        if (_subscription is { } subscription)
        {
            try
            {
                await subscription.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisUnavailable.Is(ex))
            {
                // Redis is gone: so is the subscription.
            }
        }

        _telemetry.Dispose();
    }

    /// <summary>Stops following Redis; see <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Waits until Redis has confirmed the view once, or <paramref name="bound"/> has passed; returns whether it is
    /// confirmed. Start-up uses it so the first requests do not meet an unconfirmed view while Redis is up.
    /// </summary>
    internal async Task<bool> WaitForFirstConfirmationAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        try
        {
            await _firstConfirmation.Task.WaitAsync(bound, _trustClock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs one heartbeat now (tests use it to skip the wait); Redis errors are logged, not thrown.</summary>
    internal Task HeartbeatAsync() => SynchronizeAsync(_stopping.Token);

    private async ValueTask WriteAsync(RevocationKind kind, string key, long since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (until <= now)
        {
            return; // what it would revoke has already expired
        }

        RedisResult[] written;
        var connecting = true;
        Interlocked.Increment(ref _inFlightWrites);
        try
        {
            var multiplexer = await _multiplexer().WaitAsync(cancellationToken).ConfigureAwait(false);
            connecting = false;
            written = (RedisResult[])(await multiplexer.GetDatabase().ScriptEvaluateAsync(
                RevocationScripts.Write,
                _writeKeys,
                [
                    Guid.NewGuid().ToString("N"), RevocationEntry.Letter(kind), since, until.UtcTicks, key,
                    now.ToUnixTimeMilliseconds(), CeilingUnixMilliseconds(until), _channelName,
                ]).WaitAsync(cancellationToken).ConfigureAwait(false))!;
        }
        catch (Exception ex) when (RedisUnavailable.Is(ex) || (connecting && ex is not OperationCanceledException))
        {
            // A failed connect (a name that did not resolve, say) is an unreachable Redis too; the next call tries again.
            RevocationLog.NotWritten(_logger, ex);
            throw RedisUnavailable.Wrap(ex, StoreName);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlightWrites);
        }

        // Redis has it: so does this instance's view from now on. Not cancellable: the revocation is in force, the
        // caller must see it here too.
        var epoch = (string)written[0]!;
        var entry = new RevocationEntry((long)written[1], kind, since, until.UtcTicks, key);
        var rebuilding = false;
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (epoch == _epoch && entry.Version > _version)
            {
                Take(_view, entry);
                if (entry.Version == _version + 1)
                {
                    Volatile.Write(ref _version, entry.Version); // its own message then changes nothing
                }
            }
            else if (epoch == _epoch && !Holds(entry))
            {
                // Redis handed out a version the view holds another entry at: its data went back (see OnMessageAsync).
                rebuilding = true;
                await SynchronizeLockedAsync(Rebuild.WentBack).ConfigureAwait(false);
            }
            else if (epoch != _epoch)
            {
                // The view follows other data (Redis was emptied since, or this write started a new epoch): an entry
                // added to it would outlive a rebuild it does not belong to. Rebuild now, which brings this one in.
                rebuilding = true;
                await SynchronizeLockedAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (rebuilding)
            {
                // Redis took the revocation but went away before the view could be rebuilt: the view lacks a
                // revocation the caller was told is in force, so it stops answering until a heartbeat rebuilds it.
                Distrust();
            }

            SyncFailed(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Subscribes, then confirms the view every heartbeat until disposed.</summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        using var heartbeat = new PeriodicTimer(_options.HeartbeatInterval, _trustClock);
        IConnectionMultiplexer? multiplexer = null;
        var notStartedLogged = false;
        try
        {
            // A connect that failed outright is tried again every heartbeat; meanwhile checks answer Unavailable.
            while (multiplexer is null)
            {
                try
                {
                    multiplexer = await _multiplexer().WaitAsync(stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    if (!notStartedLogged)
                    {
                        notStartedLogged = true;
                        RevocationLog.NotStarted(_logger, ex);
                    }

                    if (!await heartbeat.WaitForNextTickAsync(stopping).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }

        _connection = multiplexer;
        multiplexer.ConnectionRestored += OnConnectionRestored;
        try
        {
            do
            {
                if (_subscription is null)
                {
                    await SubscribeAsync(multiplexer).ConfigureAwait(false);
                }

                await SynchronizeAsync(stopping).ConfigureAwait(false);
            }
            while (await heartbeat.WaitForNextTickAsync(stopping).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>
    /// Subscribes to the channel (StackExchange.Redis subscribes again by itself after a reconnection); messages are
    /// handled one at a time, in the order published. Before the subscription the heartbeat alone keeps the view current.
    /// </summary>
    private async Task SubscribeAsync(IConnectionMultiplexer multiplexer)
    {
        try
        {
            var subscription = await multiplexer.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
            subscription.OnMessage(OnMessageAsync);
            _subscription = subscription;
        }
        catch (Exception ex)
        {
            // Tried again at the next heartbeat; meanwhile the heartbeat alone keeps the view current.
            RevocationLog.SubscribeFailed(_logger, ex);
        }
    }

    private async Task OnMessageAsync(ChannelMessage message)
    {
        if (!RevocationEntry.TryParseMessage(((string?)message.Message).AsSpan(), out var epoch, out var entry))
        {
            RevocationLog.MessageUnreadable(_logger);
            return;
        }

        try
        {
            await _gate.WaitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var rebuild = Rebuild.IfNeeded;
        try
        {
            if (epoch == _epoch)
            {
                if (entry.Version <= _version)
                {
                    if (Holds(entry))
                    {
                        return; // already in the view (a heartbeat read it first, or this instance wrote it)
                    }

                    // Another entry at a version the view holds (or one too old to compare): Redis's data went back
                    // under the same epoch (a restart that lost its last writes, a failover to a lagging replica, an
                    // evicted key) and it hands out versions again. Dropping the message would lose a revocation.
                    rebuild = Rebuild.WentBack;
                }
                else if (entry.Version == _version + 1)
                {
                    Take(_view, entry);
                    Volatile.Write(ref _version, entry.Version);
                    return;
                }
            }

            // A gap (a message was lost), another epoch (Redis's data was replaced), or data gone back: read what was missed.
            await SynchronizeLockedAsync(rebuild).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            if (rebuild == Rebuild.WentBack)
            {
                Distrust(); // the view is known to miss what Redis holds now
            }

            // Whatever went wrong, the next heartbeat tries again; until then the view ages towards untrusted.
            SyncFailed(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Messages published while disconnected are lost, and the server may be another one now (a failover, a restart
        // that lost its last writes) whose versions name other entries: rebuild the whole view at once.
        _ = SynchronizeAsync(_stopping.Token, Rebuild.AfterReconnection);
    }

    /// <summary>One heartbeat: confirms the view, catching up or rebuilding it as needed. Never throws.</summary>
    private async Task SynchronizeAsync(CancellationToken stopping, Rebuild rebuild = Rebuild.IfNeeded)
    {
        try
        {
            await _gate.WaitAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await SynchronizeLockedAsync(rebuild).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stopping.IsCancellationRequested)
        {
            // Whatever went wrong, the next heartbeat tries again; until then the view ages towards untrusted.
            SyncFailed(ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads Redis's epoch, version and the entries the view lacks, applies them, and confirms the view. Under the gate.</summary>
    private async Task SynchronizeLockedAsync(Rebuild rebuild = Rebuild.IfNeeded)
    {
        var multiplexer = _connection ?? await _multiplexer().ConfigureAwait(false);

        // The confirmation dates from before the question: whatever was written until then is in the answer.
        var askedAt = _trustClock.GetTimestamp();
        var answer = (RedisResult[])(await multiplexer.GetDatabase().ScriptEvaluateAsync(
            RevocationScripts.Sync,
            _syncKeys,
            [_epoch, _version, rebuild == Rebuild.IfNeeded ? 0 : 1, HeldAt(_version)]).ConfigureAwait(false))!;
        var epoch = (string?)answer[0] ?? "";
        var version = (long)answer[1];
        var full = (long)answer[2];
        var entries = (RedisResult[])answer[3]!;

        if (full != 0)
        {
            // Built aside, then swapped in: checks never see a half-built view.
            var view = new InMemoryTokenRevocationStore(_time);
            Array.Clear(_recent);
            var applied = Apply(view, entries);
            var previous = _epoch;
            var previousVersion = _version;
            Volatile.Write(ref _epoch, epoch);
            Volatile.Write(ref _version, version);
            _view = view;
            _telemetry.Resynced(full: true);
            if (Volatile.Read(ref _lastConfirmation) == 0 || (previous.Length == 0 && previous != epoch))
            {
                RevocationLog.ViewLoaded(_logger, epoch, version, applied);
            }
            else if (previous != epoch)
            {
                RevocationLog.DataReplaced(_logger, previous, epoch.Length == 0 ? "(none)" : epoch, applied);
            }
            else if (full == 2 || rebuild == Rebuild.WentBack)
            {
                RevocationLog.DataWentBack(_logger, epoch, previousVersion, version, applied);
            }
            else
            {
                RevocationLog.Rebuilt(_logger, version, applied);
            }
        }
        else if (version > _version)
        {
            var from = _version;
            var applied = Apply(_view, entries);
            Volatile.Write(ref _version, version);
            _telemetry.Resynced(full: false);
            RevocationLog.CaughtUp(_logger, from, version, applied);
        }

        Confirm(askedAt);
    }

    private int Apply(InMemoryTokenRevocationStore view, RedisResult[] entries)
    {
        var applied = 0;
        foreach (var item in entries)
        {
            if (RevocationEntry.TryParse(((string?)item).AsSpan(), out var entry))
            {
                Take(view, entry);
                applied++;
            }
        }

        return applied;
    }

    /// <summary>Applies <paramref name="entry"/> to <paramref name="view"/> and remembers it at its version. Under the gate.</summary>
    private void Take(InMemoryTokenRevocationStore view, in RevocationEntry entry)
    {
        view.Apply(entry.Kind, entry.Key, entry.Since, entry.Until);
        _recent[entry.Version & (RecentCount - 1)] = entry;
    }

    /// <summary>Whether the view took in <paramref name="entry"/> at its version (false when too old to tell). Under the gate.</summary>
    private bool Holds(in RevocationEntry entry) => _recent[entry.Version & (RecentCount - 1)] == entry;

    /// <summary>The entry the view took in at <paramref name="version"/> as Redis spells it; empty when unknown. Under the gate.</summary>
    private string HeldAt(long version) =>
        version > 0 && _recent[version & (RecentCount - 1)] is var entry && entry.Version == version ? entry.ToText() : "";

    private void Confirm(long askedAt)
    {
        if (_outageLogged)
        {
            RevocationLog.TrustedAgain(_logger, _version);
        }

        lock (_trustGate)
        {
            // An answer older than the window (a slow round trip) confirms nothing.
            var remaining = _options.UnavailableAfter - _trustClock.GetElapsedTime(askedAt);
            if (askedAt > _lastConfirmation && remaining > TimeSpan.Zero)
            {
                _lastConfirmation = askedAt;
                _trustedUntil = askedAt + _trustWindow;
                _trusted = true;
                _deadline.Change(remaining, Timeout.InfiniteTimeSpan);
            }
        }

        _outageLogged = false;
        _syncFailureLogged = false;
        _firstConfirmation.TrySetResult();
    }

    /// <summary>Stops the view answering now, until the next confirmation: it is known to lack what Redis holds.</summary>
    private void Distrust()
    {
        lock (_trustGate)
        {
            _trustedUntil = 0;
            _trusted = false;
        }
    }

    /// <summary>The last confirmation is now too old, unless a newer one moved the deadline meanwhile.</summary>
    private void OnDeadline()
    {
        lock (_trustGate)
        {
            var left = _trustedUntil - _trustClock.GetTimestamp();
            if (left <= 0)
            {
                _trusted = false;
            }
            else
            {
                _deadline.Change(TimeSpan.FromSeconds(left / (double)_trustClock.TimestampFrequency), Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Logs the first failure of an outage, and once when the view stops being trusted. Under the gate.</summary>
    private void SyncFailed(Exception exception)
    {
        if (!_syncFailureLogged)
        {
            _syncFailureLogged = true;
            RevocationLog.SyncFailed(_logger, _options.UnavailableAfter, exception);
        }

        if (!_outageLogged && !IsTrusted)
        {
            _outageLogged = true;
            if (_failOpen)
            {
                RevocationLog.FailingOpen(_logger, _options.UnavailableAfter);
            }
            else
            {
                RevocationLog.ViewUntrusted(_logger, _options.UnavailableAfter);
            }
        }
    }

    private static long CeilingUnixMilliseconds(DateTimeOffset at)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return (ticks / TimeSpan.TicksPerMillisecond) + (ticks % TimeSpan.TicksPerMillisecond > 0 ? 1 : 0);
    }

    /// <summary>What a synchronisation must do beyond catching up.</summary>
    private enum Rebuild
    {
        /// <summary>Catch up, rebuilding only when Redis's answer calls for it.</summary>
        IfNeeded,

        /// <summary>Rebuild: the connection was restored, and the server may hold other data than before.</summary>
        AfterReconnection,

        /// <summary>Rebuild: Redis handed out a version the view already holds another entry at.</summary>
        WentBack,
    }
}

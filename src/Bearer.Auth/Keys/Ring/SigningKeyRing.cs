using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bearer.Auth;

/// <summary>
/// Signing keys created and rotated by the library. A new key is published (<see cref="GetPublishedKeys"/>) at least
/// <see cref="BearerJwtKeyRingOptions.PublicationLead"/> before it signs (<see cref="GetSigningKey"/>); a retired key
/// stays published for <see cref="BearerJwtKeyRingOptions.RetentionAfterRetirement"/>, until the last token it signed
/// has expired. Instances that share an <see cref="ISigningKeyStore"/> share the ring. Thread-safe; create one per
/// store and keep it.
/// </summary>
/// <remarks>
/// Signing, publishing and resolving keys answer from what the ring last read, never from the store: the ring
/// re-reads the store every <see cref="BearerJwtKeyRingOptions.RefreshInterval"/> in the background (and when a token
/// names a <c>kid</c> it does not know, at most once every 10 seconds). If the store cannot be read, the ring keeps
/// what it read before. The first key of an empty ring signs at once: there is no earlier key to sign meanwhile.
/// </remarks>
public sealed class SigningKeyRing
{
    /// <summary>How often, at most, a token naming an unknown <c>kid</c> makes the ring re-read its store.</summary>
    internal static readonly TimeSpan UnknownKeyRefreshCooldown = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long after a failed refresh a ring with no key that signs refuses to sign at once, rather than have every
    /// caller of the synchronous <see cref="GetSigningKey"/> wait for another read of a store that is down.
    /// </summary>
    internal static readonly TimeSpan FailedRefreshCooldown = UnknownKeyRefreshCooldown;

    private readonly ISigningKeyStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _algorithm;
    private readonly TimeSpan _rotationInterval;
    private readonly TimeSpan _publicationLead;
    private readonly TimeSpan _refreshInterval;

    private readonly Lock _gate = new();
    private List<SigningKeyRingEntry> _entries = [];
    private volatile SigningKeyRingSnapshot _snapshot = SigningKeyRingSnapshot.Empty;
    private Task? _refresh;
    private long _nextRefreshTicks = long.MinValue;
    private long _nextUnknownKeyRefreshTicks = long.MinValue;
    private long _nextSigningRetryTicks = long.MinValue;
    private SigningKeyUnavailableException? _lastFailure;

    /// <summary>Creates a ring over <paramref name="store"/>; it reads the store on first use.</summary>
    /// <param name="store">Where the keys are kept: <see cref="InMemorySigningKeyStore"/>, or a shared store.</param>
    /// <param name="options">The rotation settings (copied); see <see cref="BearerJwtKeyRingOptions.Validate"/>.</param>
    /// <param name="timeProvider">The clock of the key schedule; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where key creation and store failures are logged.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names each setting and its value.</exception>
    public SigningKeyRing(ISigningKeyStore store, BearerJwtKeyRingOptions options, TimeProvider? timeProvider = null, ILogger<SigningKeyRing>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _algorithm = JwsAlgorithms.Find(options.Algorithm)!;
        _rotationInterval = options.RotationInterval;
        _publicationLead = options.PublicationLead;
        RetentionAfterRetirement = options.RetentionAfterRetirement;
        _refreshInterval = options.RefreshInterval;
    }

    /// <summary>Gets how long a key stays published after it stops signing.</summary>
    public TimeSpan RetentionAfterRetirement { get; }

    /// <summary>
    /// Returns the key that signs now: the newest active key (by when it activated, then by <c>kid</c>, the same
    /// choice on every instance). When the ring has none (first use, or every key has retired) it reads the store and
    /// creates one, waiting for the store; within 10 seconds of a failed read it fails at once instead.
    /// </summary>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyUnavailableException">No key signs now and the store could not be read or written (now, or less than 10 seconds ago).</exception>
    public SigningKey GetSigningKey()
    {
        if (Snapshot().Signing is { } signing)
        {
            return signing.SigningKey;
        }

        ThrowIfRefreshFailedRecently();

        // Rare (first use, or a ring stopped through a rotation): wait for the one refresh every caller shares.
        RefreshAsync().GetAwaiter().GetResult();
        return Snapshot().Signing?.SigningKey ?? throw new SigningKeyUnavailableException("The signing key ring has no key that signs now, and none could be created.");
    }

    /// <summary>
    /// Returns the key that signs now, as <see cref="GetSigningKey"/>, but when the ring must read its store first it
    /// waits without blocking a thread.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the read itself completes for the other callers.</param>
    /// <returns>The key.</returns>
    /// <exception cref="SigningKeyUnavailableException">No key signs now and the store could not be read or written (now, or less than 10 seconds ago).</exception>
    public async ValueTask<SigningKey> GetSigningKeyAsync(CancellationToken cancellationToken = default)
    {
        if (Snapshot().Signing is { } signing)
        {
            return signing.SigningKey;
        }

        ThrowIfRefreshFailedRecently();
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return Snapshot().Signing?.SigningKey ?? throw new SigningKeyUnavailableException("The signing key ring has no key that signs now, and none could be created.");
    }

    /// <summary>
    /// Returns the public halves of the keys to publish in a JWKS (<see cref="Jwks.Write(IEnumerable{VerificationKey})"/>):
    /// every key that has not expired, newest first, including the next key before it signs. Bound to no issuer.
    /// </summary>
    /// <returns>The keys; empty before the ring has read its store.</returns>
    public IReadOnlyList<VerificationKey> GetPublishedKeys() => Snapshot().Published;

    /// <summary>
    /// Creates a key resolver over the ring's published keys, bound to <paramref name="issuer"/> (they verify that
    /// issuer's tokens only), for <see cref="BearerJwtOptions.KeyResolver"/>. A token naming a <c>kid</c> the ring does
    /// not know makes it re-read its store (once for every waiting request, at most once every 10 seconds), so a key
    /// another instance just created verifies.
    /// </summary>
    /// <param name="issuer">The <c>iss</c> of the tokens the ring's keys sign.</param>
    /// <returns>The resolver.</returns>
    public IKeyResolver CreateKeyResolver(string issuer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        return new SigningKeyRingKeyResolver(this, issuer, _logger);
    }

    /// <summary>
    /// Re-reads the store now, drops expired keys, and creates the next key when none will sign at the end of twice
    /// the publication lead (it then activates when the last key retires, and at least a publication lead from now).
    /// Concurrent calls share one read.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the read itself completes for the other callers.</param>
    /// <returns>A task that completes when the ring is up to date.</returns>
    /// <exception cref="SigningKeyUnavailableException">The store could not be read, or a needed key could not be stored.</exception>
    public Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource started;
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running.WaitAsync(cancellationToken);
            }

            started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _refresh = started.Task;
        }

        // Run outside the lock: the store's code never runs while the ring is locked.
        _ = CompleteAsync(started);
        return started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A store that just failed is not asked again by every caller, each waiting until its timeout.</summary>
    private void ThrowIfRefreshFailedRecently()
    {
        lock (_gate)
        {
            if (_lastFailure is { } failure && _time.GetUtcNow().UtcTicks < _nextSigningRetryTicks)
            {
                throw new SigningKeyUnavailableException(failure.Message, failure);
            }
        }
    }

    /// <summary>The current answer, rebuilt (from memory) when a key has activated, retired or expired since.</summary>
    internal SigningKeyRingSnapshot Snapshot()
    {
        var now = _time.GetUtcNow();
        if (now.UtcTicks >= Volatile.Read(ref _nextRefreshTicks))
        {
            RefreshInBackground();
        }

        var snapshot = _snapshot;
        if (now < snapshot.ValidUntil)
        {
            return snapshot;
        }

        lock (_gate)
        {
            snapshot = _snapshot;
            if (now >= snapshot.ValidUntil)
            {
                snapshot = new SigningKeyRingSnapshot(_entries, now);
                _snapshot = snapshot;
            }

            return snapshot;
        }
    }

    /// <summary>
    /// Re-reads the store for a token whose <c>kid</c> the ring does not know, unless it did so within
    /// <see cref="UnknownKeyRefreshCooldown"/>: a flood of made-up <c>kid</c>s costs one read per cooldown.
    /// </summary>
    /// <returns>Whether a read was started (or joined); <see langword="false"/> within the cooldown.</returns>
    internal bool TryRefreshForUnknownKey(out Task refresh)
    {
        var now = _time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            if (now < _nextUnknownKeyRefreshTicks)
            {
                refresh = Task.CompletedTask;
                return false;
            }

            _nextUnknownKeyRefreshTicks = now + UnknownKeyRefreshCooldown.Ticks;
        }

        refresh = RefreshAsync();
        return true;
    }

    private void RefreshInBackground()
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false })
            {
                return;
            }

            // Pushed back before the read, so a slow or failing store is not asked again by every request meanwhile.
            _nextRefreshTicks = _time.GetUtcNow().UtcTicks + _refreshInterval.Ticks;
        }

        // Failures are logged by the refresh; the ring keeps its last snapshot.
        _ = RefreshAsync().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task CompleteAsync(TaskCompletionSource refresh)
    {
        try
        {
            await RunRefreshAsync().ConfigureAwait(false);
            refresh.SetResult();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _lastFailure = ex as SigningKeyUnavailableException ?? new SigningKeyUnavailableException($"The signing key ring could not be refreshed: {ex.Message}", ex);
                _nextSigningRetryTicks = _time.GetUtcNow().UtcTicks + FailedRefreshCooldown.Ticks;
            }

            refresh.SetException(ex);
        }
    }

    private async Task RunRefreshAsync()
    {
        IReadOnlyList<SigningKeyRecord> records;
        try
        {
            records = await _store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Volatile.Write(ref _nextRefreshTicks, _time.GetUtcNow().UtcTicks + _refreshInterval.Ticks);
            SigningKeyRingLog.LoadFailed(_logger, ex.Message, _entries.Count, _refreshInterval);
            throw new SigningKeyUnavailableException($"The signing key store could not be read: {ex.Message}", ex);
        }

        Apply(records);
        var now = _time.GetUtcNow();
        if (NextKeyActivation(now) is not { } activatesAt)
        {
            return;
        }

        var record = SigningKeyRecord.Generate(
            _algorithm,
            createdAt: now,
            activatesAt: activatesAt,
            retiresAt: activatesAt + _rotationInterval,
            expiresAt: activatesAt + _rotationInterval + RetentionAfterRetirement);
        try
        {
            await _store.AddAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SigningKeyRingLog.AddFailed(_logger, ex.Message);
            throw new SigningKeyUnavailableException($"The signing key store could not store a new key: {ex.Message}", ex);
        }

        if (activatesAt == now)
        {
            SigningKeyRingLog.KeyCreatedWithoutLead(_logger, record.KeyId, record.Algorithm);
        }

        SigningKeyRingLog.KeyCreated(_logger, record.KeyId, record.Algorithm, record.ActivatesAt, record.RetiresAt, record.ExpiresAt);

        // Read again: another instance may have added a key at the same moment, and every ring must choose among both.
        try
        {
            records = await _store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SigningKeyRingLog.LoadFailed(_logger, ex.Message, _entries.Count, _refreshInterval);
            records = [.. records, record];
        }

        Apply(records);
    }

    /// <summary>
    /// When the next key must activate, or <see langword="null"/> when none is needed yet: now, when no key signs now;
    /// when the last key retires (and at least a publication lead from now), once that is within twice the lead.
    /// </summary>
    private DateTimeOffset? NextKeyActivation(DateTimeOffset now)
    {
        var signsNow = false;
        var lastRetirement = DateTimeOffset.MinValue;
        foreach (var entry in _entries)
        {
            var record = entry.Record;
            signsNow |= record.SignsAt(now);
            if (record.RetiresAt > lastRetirement)
            {
                lastRetirement = record.RetiresAt;
            }
        }

        if (!signsNow)
        {
            return now;
        }

        var earliest = now + _publicationLead;
        if (lastRetirement > earliest + _publicationLead)
        {
            return null;
        }

        return lastRetirement > earliest ? lastRetirement : earliest;
    }

    /// <summary>Keeps the keys read, reusing the crypto of keys already known, and rebuilds the snapshot.</summary>
    private void Apply(IReadOnlyList<SigningKeyRecord> records)
    {
        var now = _time.GetUtcNow();
        var known = _entries;
        var entries = new List<SigningKeyRingEntry>(records.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.ExpiresAt <= now || !seen.Add(record.KeyId))
            {
                continue;
            }

            var entry = Find(known, record);
            if (entry is null)
            {
                try
                {
                    entry = new SigningKeyRingEntry(record);
                }
                catch (ArgumentException ex)
                {
                    SigningKeyRingLog.RecordSkipped(_logger, ex.Message);
                    continue;
                }
            }

            entries.Add(entry);
        }

        lock (_gate)
        {
            _entries = entries;
            _snapshot = new SigningKeyRingSnapshot(entries, now);
            _nextRefreshTicks = now.UtcTicks + _refreshInterval.Ticks;
        }
    }

    private static SigningKeyRingEntry? Find(List<SigningKeyRingEntry> entries, SigningKeyRecord record)
    {
        foreach (var entry in entries)
        {
            if (entry.Describes(record))
            {
                return entry;
            }
        }

        return null;
    }
}

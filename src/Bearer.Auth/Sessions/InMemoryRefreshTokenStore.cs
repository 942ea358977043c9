using System.Collections.Concurrent;

namespace Bearer.Auth;

/// <summary>
/// Refresh-token sessions held in this process: for one instance and for tests. Each session (token family) has its
/// own lock, so rotations of different sessions never wait on each other, and concurrent presentations of one token
/// are decided one at a time. Sessions leave memory when their last token has expired; a session remembers at most
/// its last 1,024 tokens for reuse detection.
/// </summary>
/// <remarks>
/// What is kept per session: its id, subject, client and end times; the SHA-256 hashes of its tokens; and, for the
/// grace period after a rotation, the successor sealed under a key derived from the token it replaced (which the store
/// never has). No token text is kept.
/// </remarks>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    /// <summary>
    /// How many of a session's tokens it remembers: an older one reads as unknown (refused, but no longer revokes the
    /// session). A client rotating in a loop would otherwise grow its session without bound until the session ends.
    /// </summary>
    internal const int MaxRememberedTokens = 1024;

    /// <summary>How often, at most, calls sweep out ended sessions.</summary>
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Family> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Family> _sessions = new(StringComparer.Ordinal);

    /// <summary>The sessions of each subject; read and written under <see cref="_indexGate"/> only.</summary>
    private readonly Dictionary<string, HashSet<Family>> _subjects = new(StringComparer.Ordinal);

    /// <summary>Guards the subject index and sweeps. Lock order: this gate, then a family's.</summary>
    private readonly Lock _indexGate = new();
    private readonly TimeProvider _time;
    private long _nextSweep;

    /// <summary>Creates an empty store.</summary>
    /// <param name="timeProvider">The clock every lifetime is measured on; defaults to <see cref="TimeProvider.System"/>.</param>
    public InMemoryRefreshTokenStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The token hashes held (tests check that memory follows live sessions).</summary>
    internal int TokenCount => _tokens.Count;

    /// <summary>The sessions held, live or not yet swept.</summary>
    internal int SessionCount => _sessions.Count;

    /// <summary>
    /// Runs inside a rotation between reading the session and changing it: tests widen that window with a pause so
    /// that a decision that were not atomic would lose the race they run.
    /// </summary>
    internal Action? OnDeciding { get; set; }

    /// <inheritdoc />
    public ValueTask<RefreshTokenSession> CreateSessionAsync(RefreshTokenSessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var session = new RefreshTokenSession(request.SessionId, request.Subject, request.ClientId, now, now + request.SessionLifetime);
        var family = new Family(session, request.TokenHash, Earlier(now + request.TokenLifetime, session.ExpiresAt));
        lock (_indexGate)
        {
            if (!_sessions.TryAdd(session.SessionId, family))
            {
                throw new InvalidOperationException("A session with this id already exists.");
            }

            if (!_tokens.TryAdd(request.TokenHash, family))
            {
                _sessions.TryRemove(session.SessionId, out _);
                throw new InvalidOperationException("A session already holds this token hash.");
            }

            if (!_subjects.TryGetValue(session.Subject, out var families))
            {
                _subjects[session.Subject] = families = [];
            }

            families.Add(family);
            SweepIfDue(now.UtcTicks);
        }

        return ValueTask.FromResult(session);
    }

    /// <inheritdoc />
    public ValueTask<RefreshTokenRotation> RotateAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        RefreshTokenRotation rotation;
        if (!_tokens.TryGetValue(request.TokenHash, out var family))
        {
            rotation = new RefreshTokenRotation(RefreshTokenRotationOutcome.Unknown, null, default, default);
        }
        else
        {
            lock (family.Gate)
            {
                rotation = Decide(family, request, now);
            }
        }

        // Never waits: a rotation does not queue behind a sweep another call is running.
        if (now.UtcTicks >= Volatile.Read(ref _nextSweep) && _indexGate.TryEnter())
        {
            try
            {
                SweepIfDue(now.UtcTicks);
            }
            finally
            {
                _indexGate.Exit();
            }
        }

        return ValueTask.FromResult(rotation);
    }

    /// <inheritdoc />
    public ValueTask<RefreshTokenSession?> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (!_sessions.TryGetValue(sessionId, out var family))
        {
            return ValueTask.FromResult<RefreshTokenSession?>(null);
        }

        lock (family.Gate)
        {
            if (family.Dropped)
            {
                return ValueTask.FromResult<RefreshTokenSession?>(null);
            }

            family.Revoke();
        }

        return ValueTask.FromResult<RefreshTokenSession?>(family.Session);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RefreshTokenSession>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var revoked = new List<RefreshTokenSession>();
        lock (_indexGate)
        {
            if (_subjects.TryGetValue(subject, out var families))
            {
                foreach (var family in families)
                {
                    lock (family.Gate)
                    {
                        // One whose access tokens are still to be revoked is listed again: the call that revoked it failed after.
                        if (!family.Dropped && (!family.Revoked || family.AccessTokensPending))
                        {
                            family.Revoke();
                            revoked.Add(family.Session);
                        }
                    }
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyList<RefreshTokenSession>>(revoked);
    }

    /// <inheritdoc />
    public ValueTask MarkAccessTokensRevokedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (_sessions.TryGetValue(sessionId, out var family))
        {
            lock (family.Gate)
            {
                family.AccessTokensPending = false;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Every text and byte string the store holds, as text (tests check that no token is among them).</summary>
    internal List<string> KeptValues()
    {
        var kept = new List<string>();
        lock (_indexGate)
        {
            foreach (var (hash, _) in _tokens)
            {
                kept.Add(hash);
            }

            foreach (var (_, family) in _sessions)
            {
                lock (family.Gate)
                {
                    kept.Add(family.Session.SessionId);
                    kept.Add(family.Session.Subject);
                    kept.Add(family.Session.ClientId);
                    kept.AddRange(family.Hashes);
                    if (family.SealedSuccessor is { } sealedBytes)
                    {
                        kept.Add(Convert.ToHexString(sealedBytes));
                        kept.Add(System.Buffers.Text.Base64Url.EncodeToString(sealedBytes));
                    }
                }
            }
        }

        return kept;
    }

    /// <summary>The one atomic decision, under the family's lock: the body a Redis store runs as its script.</summary>
    private RefreshTokenRotation Decide(Family family, RefreshTokenRotationRequest request, DateTimeOffset now)
    {
        var session = family.Session;
        if (family.Dropped)
        {
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.Unknown, null, default, default);
        }

        if (family.Revoked)
        {
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.Revoked, session, default, default, family.AccessTokensPending);
        }

        // The current token's end is the family's: no token of it can be used after (a retry would get the current one).
        if (now >= family.TokenExpiresAt)
        {
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.Expired, session, default, default);
        }

        var isCurrent = string.Equals(request.TokenHash, family.Current, StringComparison.Ordinal);
        var isRetry = !isCurrent && family.SealedSuccessor is not null && now < family.GraceEnds
            && string.Equals(request.TokenHash, family.Previous, StringComparison.Ordinal);

        OnDeciding?.Invoke();

        // Any other token of the family was replaced and has been presented again: whoever sends it, one of the two
        // holders is not the client, so the session ends.
        if (!isCurrent && !isRetry)
        {
            family.Revoke();
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.Reused, session, default, default, accessTokensPending: true);
        }

        // Not evidence of theft (a client id is not a secret, and a thief would send the right one): refused, no change.
        if (!string.Equals(request.ClientId, session.ClientId, StringComparison.Ordinal))
        {
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.WrongClient, session, default, default);
        }

        if (isRetry)
        {
            return new RefreshTokenRotation(RefreshTokenRotationOutcome.Retried, session, family.SealedSuccessor, family.TokenExpiresAt);
        }

        if (!_tokens.TryAdd(request.SuccessorHash, family))
        {
            // 256 random bits do not collide; a store asked to reuse a hash refuses rather than merge two sessions.
            throw new InvalidOperationException("A session already holds the successor's hash.");
        }

        family.Rotate(request.SuccessorHash, request.SealedSuccessor.ToArray(), now + request.GracePeriod, Earlier(now + request.TokenLifetime, session.ExpiresAt));
        while (family.Hashes.Count > MaxRememberedTokens)
        {
            _tokens.TryRemove(new KeyValuePair<string, Family>(family.Hashes.Dequeue(), family));
        }

        return new RefreshTokenRotation(RefreshTokenRotationOutcome.Rotated, session, default, family.TokenExpiresAt);
    }

    /// <summary>Called under <see cref="_indexGate"/>: drops the sessions whose last token has expired.</summary>
    private void SweepIfDue(long now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        Volatile.Write(ref _nextSweep, now + SweepInterval.Ticks);
        foreach (var (sessionId, family) in _sessions)
        {
            lock (family.Gate)
            {
                if (now < family.TokenExpiresAt.UtcTicks)
                {
                    family.ForgetSealedSuccessorAfterGrace(now);
                    continue;
                }

                family.Dropped = true;
            }

            // Dropped: no rotation changes the family any more, so its hashes can be read outside its lock.
            foreach (var hash in family.Hashes)
            {
                _tokens.TryRemove(new KeyValuePair<string, Family>(hash, family));
            }

            _sessions.TryRemove(new KeyValuePair<string, Family>(sessionId, family));
            if (_subjects.TryGetValue(family.Session.Subject, out var families) && families.Remove(family) && families.Count == 0)
            {
                _subjects.Remove(family.Session.Subject);
            }
        }
    }

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>One session and its tokens; every field is read and written under <see cref="Gate"/>.</summary>
    private sealed class Family(RefreshTokenSession session, string firstHash, DateTimeOffset tokenExpiresAt)
    {
        internal Lock Gate { get; } = new();

        internal RefreshTokenSession Session { get; } = session;

        /// <summary>Every remembered token hash, oldest first; the last is <see cref="Current"/>.</summary>
        internal Queue<string> Hashes { get; } = new([firstHash]);

        internal string Current { get; private set; } = firstHash;

        internal string? Previous { get; private set; }

        /// <summary>The successor of <see cref="Previous"/>, sealed under a key derived from it; only until <see cref="GraceEnds"/>.</summary>
        internal byte[]? SealedSuccessor { get; private set; }

        internal DateTimeOffset GraceEnds { get; private set; }

        /// <summary>When <see cref="Current"/> expires unused; never after the session's end.</summary>
        internal DateTimeOffset TokenExpiresAt { get; private set; } = tokenExpiresAt;

        internal bool Revoked { get; private set; }

        /// <summary>Revoked, and its access tokens not yet marked revoked (the revocation store may have failed).</summary>
        internal bool AccessTokensPending { get; set; }

        /// <summary>Swept out: the family is no longer in the store's indexes.</summary>
        internal bool Dropped { get; set; }

        internal void Rotate(string successorHash, byte[] sealedSuccessor, DateTimeOffset graceEnds, DateTimeOffset successorExpiresAt)
        {
            Previous = Current;
            Current = successorHash;
            Hashes.Enqueue(successorHash);
            SealedSuccessor = sealedSuccessor;
            GraceEnds = graceEnds;
            TokenExpiresAt = successorExpiresAt;
        }

        internal void Revoke()
        {
            AccessTokensPending |= !Revoked;
            Revoked = true;
            SealedSuccessor = null;
        }

        internal void ForgetSealedSuccessorAfterGrace(long now)
        {
            if (SealedSuccessor is not null && now >= GraceEnds.UtcTicks)
            {
                SealedSuccessor = null;
            }
        }
    }
}

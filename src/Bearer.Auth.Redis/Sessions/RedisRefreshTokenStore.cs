using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>
/// Refresh-token sessions kept in Redis, shared by every instance of the application: the Redis port of
/// <see cref="InMemoryRefreshTokenStore"/>, with the same decisions. Every call is one Lua script, sent once and then
/// run by its SHA-1 (<c>EVALSHA</c>): one round trip that reads the session, decides and writes atomically, so
/// concurrent presentations of one token, on any instances, get exactly one successor.
/// </summary>
/// <remarks>
/// <para>
/// What is kept: per session its id, subject, client and end times, the SHA-256 hashes of its last 1,024 tokens and,
/// after a rotation, the successor sealed under a key derived from the token it replaced (which the store never has).
/// No token text is kept. Every key expires: a session's hash and token list when its current token expires unused
/// (sliding, never after the session's end), its token hashes at the session's end, a subject's index at the latest
/// end among its sessions, each a minute late; so a session whose token expired reads as expired, then as unknown, as
/// in the in-memory store, which sweeps it out.
/// </para>
/// <para>
/// Times are read from this store's <see cref="TimeProvider"/> and sent to Redis with each call (to the millisecond),
/// never read from Redis's clock: instances compare expiries on their own synchronised clocks, as they already do to
/// validate a JWT, and tests drive the store with a fake clock. Expiries are sent as durations from that time, so
/// Redis's clock need not agree with it. The scripts derive keys from a session's id, so the store needs one Redis
/// (with replicas if wanted), not a sharded cluster.
/// </para>
/// <para>
/// When Redis cannot be reached or does not answer in time, every method throws
/// <see cref="TokenStoreUnavailableException"/>, with Redis's error inside: nothing was decided, so answer 503 with
/// <c>Retry-After</c>. A rotation whose answer was lost may still have happened: a retry of the same token within the
/// grace period then gets that successor.
/// </para>
/// </remarks>
public sealed class RedisRefreshTokenStore : IRefreshTokenStore
{
    /// <summary>How many of a session's tokens it remembers, as <see cref="InMemoryRefreshTokenStore"/>.</summary>
    internal const int MaxRememberedTokens = InMemoryRefreshTokenStore.MaxRememberedTokens;

    private const string StoreName = "refresh-token store";

    /// <summary>
    /// How long a key outlives the deadline it stands for, so that an expired token reads as expired for a while
    /// rather than unknown (as in the in-memory store until its sweep), and an instance whose clock is a little behind
    /// the writer's still finds the session it expects.
    /// </summary>
    internal static readonly TimeSpan DefaultKeptAfterExpiry = TimeSpan.FromMinutes(1);

    private readonly Func<Task<IConnectionMultiplexer>> _multiplexer;
    private readonly TimeProvider _time;
    private readonly string _sessionPrefix;
    private readonly string _tokenPrefix;
    private readonly string _historyPrefix;
    private readonly string _subjectPrefix;
    private readonly RedisValue _keyPrefix;

    /// <summary>Creates a store on a multiplexer the application made.</summary>
    /// <param name="multiplexer">The connection to Redis; the store does not dispose it.</param>
    /// <param name="keyPrefix">The prefix of every key the store writes (default <c>bearer:</c>), so applications can share one Redis.</param>
    /// <param name="timeProvider">The clock every lifetime is measured on; defaults to <see cref="TimeProvider.System"/>.</param>
    public RedisRefreshTokenStore(IConnectionMultiplexer multiplexer, string keyPrefix = "bearer:", TimeProvider? timeProvider = null)
        : this(RedisConnection.Ready(multiplexer ?? throw new ArgumentNullException(nameof(multiplexer))), keyPrefix, timeProvider)
    {
    }

    /// <summary>Creates the store <c>AddBearerJwtRedis</c> registers, on the connection the Redis stores share.</summary>
    internal RedisRefreshTokenStore(RedisConnection connection, TimeProvider? timeProvider)
        : this(connection.GetMultiplexerAsync, connection.KeyPrefix, timeProvider)
    {
    }

    private RedisRefreshTokenStore(Func<Task<IConnectionMultiplexer>> multiplexer, string keyPrefix, TimeProvider? timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        _multiplexer = multiplexer;
        _time = timeProvider ?? TimeProvider.System;
        var prefix = keyPrefix + "rt:";
        _keyPrefix = keyPrefix;
        _sessionPrefix = prefix + "s:";
        _tokenPrefix = prefix + "t:";
        _historyPrefix = prefix + "h:";
        _subjectPrefix = prefix + "u:";
    }

    /// <summary>How long a key outlives the deadline it stands for (tests shorten it to see Redis drop a session).</summary>
    internal TimeSpan KeptAfterExpiry { get; init; } = DefaultKeptAfterExpiry;

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time.</exception>
    public async ValueTask<RefreshTokenSession> CreateSessionAsync(RefreshTokenSessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var ends = now + Milliseconds(request.SessionLifetime);
        var tokenExpires = Math.Min(now + Milliseconds(request.TokenLifetime), ends);
        var answer = await EvaluateAsync(
            RefreshTokenScripts.Create,
            [_sessionPrefix + request.SessionId, _tokenPrefix + request.TokenHash, _historyPrefix + request.SessionId, _subjectPrefix + request.Subject],
            [request.SessionId, request.Subject, request.ClientId, request.TokenHash, now, tokenExpires, ends, _sessionPrefix, Milliseconds(KeptAfterExpiry)],
            cancellationToken).ConfigureAwait(false);
        return (int)answer switch
        {
            0 => new RefreshTokenSession(request.SessionId, request.Subject, request.ClientId, At(now), At(ends)),
            1 => throw new InvalidOperationException("A session with this id already exists."),
            _ => throw new InvalidOperationException("A session already holds this token hash."),
        };
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time.</exception>
    public async ValueTask<RefreshTokenRotation> RotateAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var answer = (RedisResult[])(await EvaluateAsync(
            RefreshTokenScripts.Rotate,
            [_tokenPrefix + request.TokenHash],
            [
                _keyPrefix, request.TokenHash, request.ClientId, request.SuccessorHash, request.SealedSuccessor, now,
                Milliseconds(request.TokenLifetime), Milliseconds(request.GracePeriod), MaxRememberedTokens, Milliseconds(KeptAfterExpiry),
            ],
            cancellationToken).ConfigureAwait(false))!;
        var outcome = (int)answer[0] switch
        {
            RefreshTokenScripts.Unknown => RefreshTokenRotationOutcome.Unknown,
            RefreshTokenScripts.Rotated => RefreshTokenRotationOutcome.Rotated,
            RefreshTokenScripts.Retried => RefreshTokenRotationOutcome.Retried,
            RefreshTokenScripts.Expired => RefreshTokenRotationOutcome.Expired,
            RefreshTokenScripts.Reused => RefreshTokenRotationOutcome.Reused,
            RefreshTokenScripts.Revoked => RefreshTokenRotationOutcome.Revoked,
            RefreshTokenScripts.WrongClient => RefreshTokenRotationOutcome.WrongClient,

            // 256 random bits do not collide; a store asked to reuse a hash refuses rather than merge two sessions.
            _ => throw new InvalidOperationException("A session already holds the successor's hash."),
        };
        if (outcome == RefreshTokenRotationOutcome.Unknown)
        {
            return new RefreshTokenRotation(outcome, null, default, default);
        }

        var session = ReadSession(answer, 1);
        return outcome switch
        {
            RefreshTokenRotationOutcome.Rotated => new RefreshTokenRotation(outcome, session, default, At((long)answer[6])),
            RefreshTokenRotationOutcome.Retried => new RefreshTokenRotation(outcome, session, (byte[])answer[7]!, At((long)answer[6])),
            RefreshTokenRotationOutcome.Reused => new RefreshTokenRotation(outcome, session, default, default, accessTokensPending: true),
            RefreshTokenRotationOutcome.Revoked => new RefreshTokenRotation(outcome, session, default, default, accessTokensPending: (long)answer[6] == 1),
            _ => new RefreshTokenRotation(outcome, session, default, default),
        };
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time.</exception>
    public async ValueTask<RefreshTokenSession?> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var answer = await EvaluateAsync(RefreshTokenScripts.RevokeSession, [_sessionPrefix + sessionId], [], cancellationToken).ConfigureAwait(false);
        if (answer.IsNull)
        {
            return null;
        }

        var fields = (RedisResult[])answer!;
        return new RefreshTokenSession(sessionId, (string)fields[0]!, (string)fields[1]!, At((long)fields[2]), At((long)fields[3]));
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time.</exception>
    public async ValueTask<IReadOnlyList<RefreshTokenSession>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var answer = (RedisResult[])(await EvaluateAsync(
            RefreshTokenScripts.RevokeSubject, [_subjectPrefix + subject], [_sessionPrefix], cancellationToken).ConfigureAwait(false))!;
        var revoked = new List<RefreshTokenSession>(answer.Length / 5);
        for (var i = 0; i < answer.Length; i += 5)
        {
            revoked.Add(ReadSession(answer, i));
        }

        return revoked;
    }

    /// <inheritdoc />
    /// <exception cref="TokenStoreUnavailableException">Redis cannot be reached or did not answer in time.</exception>
    public async ValueTask MarkAccessTokensRevokedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        await EvaluateAsync(RefreshTokenScripts.MarkAccessTokensRevoked, [_sessionPrefix + sessionId], [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a script by its SHA-1 (StackExchange.Redis loads it on first use, and again after a server restart) and
    /// names an unreachable Redis as <see cref="TokenStoreUnavailableException"/>.
    /// </summary>
    private async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values, CancellationToken cancellationToken)
    {
        var connecting = true;
        try
        {
            var multiplexer = await _multiplexer().WaitAsync(cancellationToken).ConfigureAwait(false);
            connecting = false;
            return await multiplexer.GetDatabase().ScriptEvaluateAsync(script, keys, values).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisUnavailable.Is(ex) || (connecting && ex is not OperationCanceledException))
        {
            // A failed connect is an unreachable Redis too; the next call tries again.
            throw RedisUnavailable.Wrap(ex, StoreName);
        }
    }

    /// <summary>Reads <c>sid, sub, client, created, end</c> from <paramref name="fields"/> at <paramref name="at"/>.</summary>
    private static RefreshTokenSession ReadSession(RedisResult[] fields, int at) =>
        new((string)fields[at]!, (string)fields[at + 1]!, (string)fields[at + 2]!, At((long)fields[at + 3]), At((long)fields[at + 4]));

    private static long Milliseconds(TimeSpan duration) => duration.Ticks / TimeSpan.TicksPerMillisecond;

    private static DateTimeOffset At(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}

using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Issues and rotates refresh tokens: opaque 256-bit random tokens, stored only as SHA-256 hashes, bound to a subject,
/// a session (<c>sid</c>) and a client, replaced on every use. Reuse of a replaced token revokes the session; a retry
/// within <see cref="BearerJwtRefreshTokenOptions.RefreshReuseGracePeriod"/> gets the same successor.
/// </summary>
/// <remarks>
/// This class does what may run in parallel (random bytes, hashing, sealing, decoding); the one decision per
/// presentation is the store's atomic <see cref="IRefreshTokenStore.RotateAsync"/>. Each call offers a fresh successor
/// sealed under a key derived from the presented token; the store keeps the first one offered for the current token
/// and hands that sealed copy to every later presentation within the grace period, which only a holder of the
/// presented token can open. Hence concurrent presentations of one token all get one successor.
/// </remarks>
public sealed class BearerJwtRefreshTokens
{
    private readonly IRefreshTokenStore _store;
    private readonly BearerJwtRefreshTokenOptions _options;
    private readonly ITokenRevocationStore? _accessTokens;
    private readonly TimeProvider _time;

    /// <summary>Creates the service; ending a session ends its refresh tokens only (see the other constructor).</summary>
    /// <param name="store">Where sessions are kept.</param>
    /// <param name="options">The lifetimes; refused with an <see cref="ArgumentException"/> naming the setting when they contradict each other.</param>
    public BearerJwtRefreshTokens(IRefreshTokenStore store, IOptions<BearerJwtRefreshTokenOptions> options)
        : this(store, options, accessTokens: null, timeProvider: null)
    {
    }

    /// <summary>
    /// Creates the service so that ending a session (a reuse, <see cref="RevokeSessionAsync"/>,
    /// <see cref="RevokeSubjectAsync"/>) also revokes its <c>sid</c> in <paramref name="accessTokens"/>: its access
    /// tokens are then refused with <c>token_revoked</c> until they have expired
    /// (<see cref="BearerJwtRefreshTokenOptions.AccessTokenLifetime"/>). What <c>AddBearerJwtRefreshTokens</c> builds
    /// when an <see cref="ITokenRevocationStore"/> is registered.
    /// </summary>
    /// <param name="store">Where sessions are kept.</param>
    /// <param name="options">The lifetimes; refused with an <see cref="ArgumentException"/> naming the setting when they contradict each other.</param>
    /// <param name="accessTokens">Where a session's access tokens are revoked; <see langword="null"/>: nowhere.</param>
    /// <param name="timeProvider">The clock of those revocations; defaults to <see cref="TimeProvider.System"/>.</param>
    public BearerJwtRefreshTokens(
        IRefreshTokenStore store, IOptions<BearerJwtRefreshTokenOptions> options, ITokenRevocationStore? accessTokens, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var problems = value.FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].Message, problems[0].Setting);
        }

        _store = store;
        _options = value;
        _accessTokens = accessTokens;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Starts a session for <paramref name="subject"/> on <paramref name="clientId"/> and issues its first refresh token.</summary>
    /// <param name="subject">The signed-in subject (<c>sub</c>).</param>
    /// <param name="clientId">The client the tokens are bound to.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>The first token and the session (its <c>sid</c> goes into the access tokens).</returns>
    public async ValueTask<RefreshTokenResult> StartSessionAsync(string subject, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var token = new byte[RefreshTokenCrypto.TokenBytes];
        RefreshTokenCrypto.NewToken(token);
        var session = await _store.CreateSessionAsync(
            new RefreshTokenSessionRequest(RefreshTokenCrypto.NewSessionId(), subject, clientId, RefreshTokenCrypto.Hash(token), _options.RefreshTokenLifetime, _options.SessionLifetime),
            cancellationToken).ConfigureAwait(false);
        var expiresAt = session.CreatedAt + _options.RefreshTokenLifetime;
        return RefreshTokenResult.Issued(RefreshTokenCrypto.Encode(token), expiresAt < session.ExpiresAt ? expiresAt : session.ExpiresAt, session);
    }

    /// <summary>
    /// Exchanges <paramref name="refreshToken"/> for its successor. A refusal never throws: it names the cause, and
    /// when the cause is reuse the session has been revoked (<see cref="RefreshTokenResult.RevokedSessionId"/>).
    /// </summary>
    /// <param name="refreshToken">The token the client presented, as sent.</param>
    /// <param name="clientId">The client presenting it.</param>
    /// <param name="cancellationToken">Cancels a remote call.</param>
    /// <returns>The successor, or why there is none.</returns>
    public async ValueTask<RefreshTokenResult> RefreshAsync(string? refreshToken, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        var presented = new byte[RefreshTokenCrypto.TokenBytes];
        if (!RefreshTokenCrypto.TryDecode(refreshToken, presented))
        {
            return RefreshTokenResult.Refused(RefreshTokenFailure.Malformed);
        }

        var successor = new byte[RefreshTokenCrypto.TokenBytes];
        RefreshTokenCrypto.NewToken(successor);
        var rotation = await _store.RotateAsync(
            new RefreshTokenRotationRequest(
                RefreshTokenCrypto.Hash(presented),
                clientId,
                RefreshTokenCrypto.Hash(successor),
                RefreshTokenCrypto.Seal(presented, successor),
                _options.RefreshTokenLifetime,
                _options.RefreshReuseGracePeriod),
            cancellationToken).ConfigureAwait(false);

        switch (rotation.Outcome)
        {
            case RefreshTokenRotationOutcome.Rotated when rotation.Session is { } session:
                return RefreshTokenResult.Issued(RefreshTokenCrypto.Encode(successor), rotation.SuccessorExpiresAt, session);

            // Another presentation of this token won: its successor, sealed under the presented token, is the answer.
            case RefreshTokenRotationOutcome.Retried when rotation.Session is { } session:
                return RefreshTokenCrypto.TryOpen(presented, rotation.SealedSuccessor.Span, successor)
                    ? RefreshTokenResult.Issued(RefreshTokenCrypto.Encode(successor), rotation.SuccessorExpiresAt, session)
                    : RefreshTokenResult.Refused(RefreshTokenFailure.Unknown, session); // a store that returned another token's seal
            case RefreshTokenRotationOutcome.Reused:
                if (rotation.Session is { } reused && rotation.AccessTokensPending)
                {
                    await RevokeAccessTokensAsync(reused.SessionId, cancellationToken).ConfigureAwait(false);
                }

                return RefreshTokenResult.Refused(RefreshTokenFailure.Reused, rotation.Session, rotation.Session?.SessionId);
            case RefreshTokenRotationOutcome.Expired:
                return RefreshTokenResult.Refused(RefreshTokenFailure.Expired, rotation.Session);

            // Pending only until a revocation succeeded: one that failed is completed here, and then never written again.
            case RefreshTokenRotationOutcome.Revoked:
                if (rotation.Session is { } revoked && rotation.AccessTokensPending)
                {
                    await RevokeAccessTokensAsync(revoked.SessionId, cancellationToken).ConfigureAwait(false);
                }

                return RefreshTokenResult.Refused(RefreshTokenFailure.Revoked, rotation.Session);
            case RefreshTokenRotationOutcome.WrongClient:
                return RefreshTokenResult.Refused(RefreshTokenFailure.WrongClient, rotation.Session);
            default:
                return RefreshTokenResult.Refused(RefreshTokenFailure.Unknown);
        }
    }

    /// <summary>
    /// Revokes a session's refresh tokens (sign-out), and with a revocation store its access tokens too (the
    /// <c>sid</c>, even when the refresh store no longer holds the session).
    /// </summary>
    /// <param name="sessionId">The <c>sid</c>.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>The session, or <see langword="null"/> when none is held by that id.</returns>
    public async ValueTask<RefreshTokenSession?> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        var session = await _store.RevokeSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
        await RevokeAccessTokensAsync(sessionId, cancellationToken, sessionHeld: session is not null).ConfigureAwait(false);
        return session;
    }

    /// <summary>Revokes every session of a subject (sign-out everywhere); a session started afterwards is not affected.</summary>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>The sessions revoked, with those an earlier call revoked but whose access tokens it failed to revoke.</returns>
    /// <remarks>
    /// With a revocation store, each session's <c>sid</c> is revoked there, one by one, rather than the subject by
    /// time: a sign-in right after works at once, and the access tokens of every ended session are refused, even one
    /// issued in the same second.
    /// </remarks>
    public async ValueTask<IReadOnlyList<RefreshTokenSession>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        var sessions = await _store.RevokeSubjectAsync(subject, cancellationToken).ConfigureAwait(false);
        foreach (var session in sessions)
        {
            await RevokeAccessTokensAsync(session.SessionId, cancellationToken).ConfigureAwait(false);
        }

        return sessions;
    }

    /// <summary>
    /// Refuses the session's access tokens until the last one could still be accepted (its lifetime plus the largest
    /// skew), then tells the refresh store so: if the revocation throws (its store unreachable), the session stays
    /// marked as pending, and the next presentation of one of its tokens, or a retry of the call, revokes them again.
    /// </summary>
    private async ValueTask RevokeAccessTokensAsync(string sessionId, CancellationToken cancellationToken, bool sessionHeld = true)
    {
        if (_accessTokens is null)
        {
            return;
        }

        await _accessTokens.RevokeSessionAsync(sessionId, _time.GetUtcNow() + _options.AccessTokenLifetime + TokenValidationSettings.MaximumClockSkew, cancellationToken).ConfigureAwait(false);
        if (sessionHeld)
        {
            await _store.MarkAccessTokensRevokedAsync(sessionId, cancellationToken).ConfigureAwait(false);
        }
    }
}

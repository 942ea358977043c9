namespace Bearer.Auth;

/// <summary>
/// Keeps refresh-token sessions (families): which token hash is current, which one it replaced, and when each ends.
/// Every decision that must not interleave with another presentation of the same token happens inside
/// <see cref="RotateAsync"/>, as one atomic operation (one lock here, one Lua script on Redis); generating tokens,
/// hashing and sealing happen outside, in <see cref="BearerJwtRefreshTokens"/>.
/// </summary>
/// <remarks>
/// A store never sees a token's text: it is given SHA-256 hashes (base64url), and the successor it hands back on a
/// retry only sealed under a key derived from the presented token. Every time is read from the store's own clock, so
/// that instances sharing a store share one.
/// </remarks>
public interface IRefreshTokenStore
{
    /// <summary>Starts a session whose first token is <see cref="RefreshTokenSessionRequest.TokenHash"/>.</summary>
    /// <param name="request">The session, its first token's hash and the lifetimes.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>The session, with its start and its absolute end read from the store's clock.</returns>
    ValueTask<RefreshTokenSession> CreateSessionAsync(RefreshTokenSessionRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Presents a token, atomically: the current token of a live session is replaced by the offered successor
    /// (<see cref="RefreshTokenRotationOutcome.Rotated"/>); the token it replaced, presented again within the grace
    /// period, gets that same successor back, sealed (<see cref="RefreshTokenRotationOutcome.Retried"/>); any other
    /// token of the session revokes the session (<see cref="RefreshTokenRotationOutcome.Reused"/>).
    /// </summary>
    /// <param name="request">The presented token's hash, the client, and the successor on offer.</param>
    /// <param name="cancellationToken">Cancels a remote call.</param>
    /// <returns>What happened, with the session when the token belongs to one.</returns>
    ValueTask<RefreshTokenRotation> RotateAsync(RefreshTokenRotationRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes a session: none of its tokens is accepted again. Revoking a session not revoked yet marks its access
    /// tokens as still to be revoked, until <see cref="MarkAccessTokensRevokedAsync"/>.
    /// </summary>
    /// <param name="sessionId">The session's <c>sid</c>.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>The session, or <see langword="null"/> when the store holds none by that id (never created, or ended).</returns>
    ValueTask<RefreshTokenSession?> RevokeSessionAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every session <paramref name="subject"/> holds now; a session started later is not affected.</summary>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>
    /// The sessions revoked by this call, and those revoked before whose access tokens are still to be revoked (not yet
    /// <see cref="MarkAccessTokensRevokedAsync">marked</see>): a call that failed half-way is completed by its retry.
    /// </returns>
    ValueTask<IReadOnlyList<RefreshTokenSession>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that a revoked session's access tokens have been revoked in the <see cref="ITokenRevocationStore"/>:
    /// from then on, presenting one of its refresh tokens answers <see cref="RefreshTokenRotationOutcome.Revoked"/>
    /// with <see cref="RefreshTokenRotation.AccessTokensPending"/> false, and <see cref="RevokeSubjectAsync"/> no longer
    /// lists it. Until then, each of those answers asks for the access tokens to be revoked again, so a revocation that
    /// failed (the revocation store unreachable) is completed by the next call rather than lost.
    /// </summary>
    /// <param name="sessionId">The session's <c>sid</c>; nothing happens when the store holds none by that id.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>A task that completes once the mark is stored.</returns>
    ValueTask MarkAccessTokensRevokedAsync(string sessionId, CancellationToken cancellationToken = default);
}

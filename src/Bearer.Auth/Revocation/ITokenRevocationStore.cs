namespace Bearer.Auth;

/// <summary>
/// A revocation check that can also be written to: revoke one token (its <c>jti</c>), a session (its <c>sid</c>), or
/// every token a subject was issued until now. Each entry is kept only as long as what it revokes can still be
/// valid (<c>until</c>), so memory is bounded by the tokens alive, not by history.
/// </summary>
/// <remarks>
/// Register one in DI and the handler uses it as its revocation check. <see cref="InMemoryTokenRevocationStore"/>
/// keeps the entries in the process; a store shared by several instances must make a revocation on one instance
/// refuse the token on all of them.
/// <para>
/// A token is accepted until its <c>exp</c> plus the clock skew (<see cref="TokenValidationSettings.ClockSkew"/>,
/// 30 seconds by default), so revoke until then: a revocation that ends at <c>exp</c> lets the token back in for the
/// length of the skew.
/// </para>
/// </remarks>
public interface ITokenRevocationStore : ITokenRevocationCheck
{
    /// <summary>Revokes the token whose <c>jti</c> is <paramref name="tokenId"/>.</summary>
    /// <param name="tokenId">The <c>jti</c>.</param>
    /// <param name="until">When the token stops being accepted (its <c>exp</c> plus the clock skew); the entry is dropped then.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>A task that completes when the revocation is in force.</returns>
    ValueTask RevokeTokenAsync(string tokenId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>Revokes every token whose <c>sid</c> is <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The <c>sid</c>.</param>
    /// <param name="until">When the last token of the session stops being accepted (its <c>exp</c> plus the clock skew); the entry is dropped then.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>A task that completes when the revocation is in force.</returns>
    ValueTask RevokeSessionAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes every token of <paramref name="subject"/> issued before now: a token whose <c>iat</c> is earlier than
    /// the store's clock at this call, or that has no <c>iat</c>, is refused; a token issued later is not.
    /// </summary>
    /// <remarks>
    /// A revocation never refuses a token issued after it. <c>iat</c> usually counts whole seconds, so a token whose
    /// <c>iat</c> is the revocation's own second may have been issued just before or just after it: it is kept (a
    /// sign-in right after "sign out everywhere" works at once). To end the tokens of that second too, revoke their
    /// sessions as well (<see cref="RevokeSessionAsync"/>; <c>BearerJwtRefreshTokens.RevokeSubjectAsync</c> returns them).
    /// An <c>iat</c> with a fraction compares exactly.
    /// </remarks>
    /// <param name="subject">The <c>sub</c>.</param>
    /// <param name="until">When the last token issued before now stops being accepted (its <c>exp</c> plus the clock skew); the entry is dropped then.</param>
    /// <param name="cancellationToken">Cancels a remote write.</param>
    /// <returns>A task that completes when the revocation is in force.</returns>
    ValueTask RevokeSubjectAsync(string subject, DateTimeOffset until, CancellationToken cancellationToken = default);
}

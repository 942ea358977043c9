namespace Bearer.Auth;

/// <summary>The result of starting a session or refreshing: a new refresh token, or why none was given.</summary>
public sealed class RefreshTokenResult
{
    private RefreshTokenResult(RefreshTokenFailure failure, string? refreshToken, DateTimeOffset expiresAt, RefreshTokenSession? session, string? revokedSessionId)
    {
        Failure = failure;
        RefreshToken = refreshToken;
        ExpiresAt = expiresAt;
        Session = session;
        RevokedSessionId = revokedSessionId;
    }

    /// <summary>The OAuth error every refusal maps to (RFC 6749 §5.2).</summary>
    public const string Error = "invalid_grant";

    /// <summary>Gets whether a refresh token was issued.</summary>
    public bool Succeeded => Failure == RefreshTokenFailure.None;

    /// <summary>Gets why the token was refused, or <see cref="RefreshTokenFailure.None"/>.</summary>
    public RefreshTokenFailure Failure { get; }

    /// <summary>Gets the stable code of <see cref="Failure"/> (<c>malformed</c>, <c>unknown</c>, <c>expired</c>, <c>reused</c>, <c>revoked</c>, <c>wrong_client</c>), or <see langword="null"/> on success.</summary>
    public string? FailureCode => Failure switch
    {
        RefreshTokenFailure.None => null,
        RefreshTokenFailure.Malformed => "malformed",
        RefreshTokenFailure.Unknown => "unknown",
        RefreshTokenFailure.Expired => "expired",
        RefreshTokenFailure.Reused => "reused",
        RefreshTokenFailure.Revoked => "revoked",
        RefreshTokenFailure.WrongClient => "wrong_client",
        _ => "unknown",
    };

    /// <summary>Gets a fixed description of the failure, safe to send as <c>error_description</c> (it never echoes input), or <see langword="null"/> on success.</summary>
    public string? ErrorDescription => Failure switch
    {
        RefreshTokenFailure.None => null,
        RefreshTokenFailure.Malformed => "The refresh token is malformed.",
        RefreshTokenFailure.Unknown => "The refresh token is unknown.",
        RefreshTokenFailure.Expired => "The refresh token has expired.",
        RefreshTokenFailure.Reused => "The refresh token was already used; the session has been revoked.",
        RefreshTokenFailure.Revoked => "The refresh token has been revoked.",
        RefreshTokenFailure.WrongClient => "The refresh token was issued to another client.",
        _ => "The refresh token is unknown.",
    };

    /// <summary>Gets the new refresh token (send it to the client; it is never stored), or <see langword="null"/> on failure.</summary>
    public string? RefreshToken { get; }

    /// <summary>Gets when <see cref="RefreshToken"/> stops being accepted unused (its idle lifetime, never after the session's end).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the session: on success the one to issue the access token for (its <c>sid</c>); on a refusal the token's session when the store knows it.</summary>
    public RefreshTokenSession? Session { get; }

    /// <summary>
    /// Gets the id of the session this call revoked because a replaced token was reused, or <see langword="null"/>.
    /// Revoke its access tokens too: <see cref="ITokenRevocationStore.RevokeSessionAsync"/>.
    /// </summary>
    public string? RevokedSessionId { get; }

    internal static RefreshTokenResult Issued(string refreshToken, DateTimeOffset expiresAt, RefreshTokenSession session) =>
        new(RefreshTokenFailure.None, refreshToken, expiresAt, session, null);

    internal static RefreshTokenResult Refused(RefreshTokenFailure failure, RefreshTokenSession? session = null, string? revokedSessionId = null) =>
        new(failure, null, default, session, revokedSessionId);
}

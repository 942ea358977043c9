namespace Bearer.Auth;

/// <summary>
/// Why <see cref="BearerJwtRefreshTokens.RefreshAsync"/> refused a token. Every cause is an <c>invalid_grant</c>
/// (RFC 6749 §5.2) for the client; the cause is for logs and metrics (<see cref="RefreshTokenResult.FailureCode"/>).
/// </summary>
public enum RefreshTokenFailure
{
    /// <summary>No failure: the refresh succeeded.</summary>
    None,

    /// <summary>The text is not a refresh token of ours (not 43 canonical base64url characters); the store was not asked. Code <c>malformed</c>.</summary>
    Malformed,

    /// <summary>No session holds the token. Code <c>unknown</c>.</summary>
    Unknown,

    /// <summary>The token's idle lifetime or its session's absolute lifetime has passed. Code <c>expired</c>.</summary>
    Expired,

    /// <summary>A replaced token was presented again (an older one, or the previous one after the grace period): the session is now revoked. Code <c>reused</c>.</summary>
    Reused,

    /// <summary>The token's session has been revoked. Code <c>revoked</c>.</summary>
    Revoked,

    /// <summary>The token is bound to another client; the session is left as it was. Code <c>wrong_client</c>.</summary>
    WrongClient,
}

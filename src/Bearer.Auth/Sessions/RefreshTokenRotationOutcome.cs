namespace Bearer.Auth;

/// <summary>What <see cref="IRefreshTokenStore.RotateAsync"/> decided about a presented token.</summary>
public enum RefreshTokenRotationOutcome
{
    /// <summary>The token was current: the offered successor replaced it.</summary>
    Rotated,

    /// <summary>The token was the one just replaced, presented again within the grace period: the successor it got is returned, sealed.</summary>
    Retried,

    /// <summary>No session holds the token (never issued, or its session has ended and been dropped).</summary>
    Unknown,

    /// <summary>The token's idle lifetime or its session's absolute lifetime has passed.</summary>
    Expired,

    /// <summary>An older token, or the one just replaced after the grace period: the session was revoked by this call.</summary>
    Reused,

    /// <summary>The token's session had been revoked before.</summary>
    Revoked,

    /// <summary>The token is bound to another client; nothing changed.</summary>
    WrongClient,
}

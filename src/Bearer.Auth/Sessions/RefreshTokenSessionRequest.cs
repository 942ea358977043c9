namespace Bearer.Auth;

/// <summary>What <see cref="IRefreshTokenStore.CreateSessionAsync"/> stores for a new session.</summary>
public sealed class RefreshTokenSessionRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="sessionId">The new session's random id.</param>
    /// <param name="subject">The subject.</param>
    /// <param name="clientId">The client the tokens are bound to.</param>
    /// <param name="tokenHash">The SHA-256 hash (base64url) of the first token.</param>
    /// <param name="tokenLifetime">How long a token stays usable unused (sliding idle lifetime).</param>
    /// <param name="sessionLifetime">How long the session lasts at most (absolute lifetime).</param>
    public RefreshTokenSessionRequest(string sessionId, string subject, string clientId, string tokenHash, TimeSpan tokenLifetime, TimeSpan sessionLifetime)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(tokenHash);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokenLifetime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sessionLifetime, TimeSpan.Zero);
        SessionId = sessionId;
        Subject = subject;
        ClientId = clientId;
        TokenHash = tokenHash;
        TokenLifetime = tokenLifetime;
        SessionLifetime = sessionLifetime;
    }

    /// <summary>Gets the new session's id.</summary>
    public string SessionId { get; }

    /// <summary>Gets the subject.</summary>
    public string Subject { get; }

    /// <summary>Gets the client the session's tokens are bound to.</summary>
    public string ClientId { get; }

    /// <summary>Gets the SHA-256 hash (base64url) of the session's first token.</summary>
    public string TokenHash { get; }

    /// <summary>Gets the sliding idle lifetime of a token.</summary>
    public TimeSpan TokenLifetime { get; }

    /// <summary>Gets the absolute lifetime of the session.</summary>
    public TimeSpan SessionLifetime { get; }
}

namespace Bearer.Auth;

/// <summary>A refresh-token session (a token family): who it belongs to, which client holds it, and when it ends.</summary>
public sealed class RefreshTokenSession
{
    /// <summary>Creates a session description.</summary>
    /// <param name="sessionId">The session's <c>sid</c>.</param>
    /// <param name="subject">The <c>sub</c> it was started for.</param>
    /// <param name="clientId">The client its tokens are bound to.</param>
    /// <param name="createdAt">When it started.</param>
    /// <param name="expiresAt">When it ends, however often its tokens are rotated.</param>
    public RefreshTokenSession(string sessionId, string subject, string clientId, DateTimeOffset createdAt, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        SessionId = sessionId;
        Subject = subject;
        ClientId = clientId;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the session id, the <c>sid</c> its access tokens carry.</summary>
    public string SessionId { get; }

    /// <summary>Gets the subject (<c>sub</c>) the session was started for.</summary>
    public string Subject { get; }

    /// <summary>Gets the client the session's tokens are bound to.</summary>
    public string ClientId { get; }

    /// <summary>Gets when the session started.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the session ends (its absolute lifetime), which rotation never moves.</summary>
    public DateTimeOffset ExpiresAt { get; }
}

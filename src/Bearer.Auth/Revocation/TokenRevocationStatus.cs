namespace Bearer.Auth;

/// <summary>What an <see cref="ITokenRevocationCheck"/> says about a validated token.</summary>
public enum TokenRevocationStatus
{
    /// <summary>The token is not revoked, as far as a view known to be current can tell: it is accepted.</summary>
    NotRevoked,

    /// <summary>The token is revoked: refused with <see cref="TokenFailureReason.TokenRevoked"/> (401).</summary>
    Revoked,

    /// <summary>
    /// The check cannot tell, because what it knows may be out of date (a shared store unreachable for longer than it
    /// tolerates): refused with <see cref="TokenFailureReason.RevocationUnavailable"/>, a 503 with <c>Retry-After</c>.
    /// The token is not known to be bad, so the client should keep it and retry.
    /// </summary>
    Unavailable,
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Context of <see cref="BearerJwtEvents.OnChallenge"/>: adjust <see cref="StatusCode"/>, <see cref="Error"/> and
/// <see cref="ErrorDescription"/> (the <c>WWW-Authenticate</c> challenge and the problem body follow them), or write the
/// whole response yourself and call <see cref="HandleResponse"/>.
/// </summary>
public sealed class BearerJwtChallengeContext : PropertiesContext<BearerJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The options.</param>
    /// <param name="properties">The challenge properties.</param>
    /// <param name="reason">Why authentication failed; <see cref="TokenFailureReason.None"/> when no token was presented.</param>
    public BearerJwtChallengeContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options, AuthenticationProperties? properties, TokenFailureReason reason)
        : base(context, scheme, options, properties)
    {
        Reason = reason;
    }

    /// <summary>Gets why authentication failed, or <see cref="TokenFailureReason.None"/> when no token was presented.</summary>
    public TokenFailureReason Reason { get; }

    /// <summary>
    /// Gets or sets the status code of the response: 401, except 400 for an <c>invalid_request</c> reason
    /// (RFC 6750 §3.1) and 503 for <see cref="TokenFailureReason.KeySourceUnavailable"/> (the token could not be
    /// checked, so it is not known to be bad). A 400 or 401 carries the <c>WWW-Authenticate</c> challenge; a 503 carries
    /// <c>Retry-After</c> instead (unless you set one). Set 401 to answer as JwtBearer does, with an <see cref="Error"/>.
    /// </summary>
    public int StatusCode { get; set; } = StatusCodes.Status401Unauthorized;

    /// <summary>
    /// Gets or sets the RFC 6750 <c>error</c> (<c>invalid_token</c> or <c>invalid_request</c>), or <see langword="null"/>:
    /// when no token was presented (RFC 6750 §3.1) and for a 503, which is not a token error.
    /// </summary>
    public string? Error { get; set; }

    /// <summary>Gets or sets the <c>error_description</c>, or <see langword="null"/>. Never put token content here.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>Gets whether the application has written the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default response (status, headers and body): the application has written its own.</summary>
    public void HandleResponse() => Handled = true;
}

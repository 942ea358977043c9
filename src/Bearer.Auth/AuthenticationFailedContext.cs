using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Context of <see cref="BearerJwtEvents.OnAuthenticationFailed"/>, raised once for every refused token with its
/// stable <see cref="Reason"/>. Observing it changes nothing; calling <c>Success</c> or <c>NoResult</c> overrides the failure.
/// </summary>
public sealed class AuthenticationFailedContext : ResultContext<BearerJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The options.</param>
    /// <param name="exception">The failure.</param>
    public AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options, BearerJwtException exception)
        : base(context, scheme, options)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Exception = exception;
    }

    /// <summary>Gets the failure.</summary>
    public BearerJwtException Exception { get; }

    /// <summary>Gets why the token was refused.</summary>
    public TokenFailureReason Reason => Exception.Reason;
}

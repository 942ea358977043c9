using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Context of <see cref="BearerJwtEvents.OnMessageReceived"/>: set <see cref="Token"/> to supply the token from
/// somewhere else, or end authentication here with <c>Success</c>, <c>Fail</c> or <c>NoResult</c>.
/// </summary>
public sealed class MessageReceivedContext : ResultContext<BearerJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The options.</param>
    public MessageReceivedContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options)
        : base(context, scheme, options)
    {
    }

    /// <summary>
    /// Gets or sets the token to validate. When left <see langword="null"/>, the token is read from the
    /// <c>Authorization</c> header (and the opted-in cookie and query sources).
    /// </summary>
    public string? Token { get; set; }
}

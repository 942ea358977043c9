using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Context of <see cref="BearerJwtEvents.OnForbidden"/>, raised when an authenticated caller lacks permission:
/// write your own response and call <see cref="HandleResponse"/> to replace the default 403.
/// </summary>
public sealed class ForbiddenContext : PropertiesContext<BearerJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The options.</param>
    /// <param name="properties">The forbid properties.</param>
    public ForbiddenContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options, AuthenticationProperties? properties)
        : base(context, scheme, options, properties)
    {
    }

    /// <summary>
    /// Gets or sets the RFC 6750 <c>scope</c> the 403 challenge and problem body name: the scopes of the
    /// <see cref="ScopeAuthorizationRequirement"/>s that failed on this request, each once, space-separated (a token
    /// with all of them would meet every one), or <see langword="null"/> when none failed. Sent as a quoted-string.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Gets whether the application has written the response itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default 403 response (status, headers and body): the application has written its own.</summary>
    public void HandleResponse() => Handled = true;
}

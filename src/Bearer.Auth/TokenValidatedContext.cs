using Bearer.Auth.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Context of <see cref="BearerJwtEvents.OnTokenValidated"/>: inspect <see cref="Token"/>, change or replace
/// <see cref="ResultContext{TOptions}.Principal"/>, or refuse the token with <see cref="Reject"/>.
/// </summary>
public sealed class TokenValidatedContext : ResultContext<BearerJwtOptions>
{
    /// <summary>Creates the context.</summary>
    /// <param name="context">The request.</param>
    /// <param name="scheme">The scheme.</param>
    /// <param name="options">The options.</param>
    /// <param name="token">The validated token.</param>
    public TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options, ValidatedToken token)
        : base(context, scheme, options)
    {
        Token = token;
    }

    /// <summary>Gets the validated token.</summary>
    public ValidatedToken Token { get; }

    /// <summary>Refuses the token with <see cref="TokenFailureReason.TokenRejected"/> (a 401 with <c>error="invalid_token"</c>).</summary>
    public void Reject() => Fail(new BearerTokenException(TokenFailureReason.TokenRejected));
}

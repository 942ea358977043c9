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
    /// <param name="validation">The request facts the token was validated with.</param>
    public TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, BearerJwtOptions options, ValidatedToken token, TokenValidationContext validation)
        : base(context, scheme, options)
    {
        Token = token;
        Validation = validation;
    }

    /// <summary>Gets the validated token.</summary>
    public ValidatedToken Token { get; }

    /// <summary>
    /// Gets the request facts the token was validated with, such as <see cref="TokenValidationContext.Source"/>: a
    /// token from a cookie is an ambient credential, one from the <c>Authorization</c> header is not. Valid while the
    /// request is in progress, like <see cref="BaseContext{TOptions}.HttpContext"/>.
    /// </summary>
    public TokenValidationContext Validation { get; }

    /// <summary>Refuses the token with <see cref="TokenFailureReason.TokenRejected"/> (a 401 with <c>error="invalid_token"</c>).</summary>
    public void Reject() => Fail(new BearerJwtException(TokenFailureReason.TokenRejected));
}

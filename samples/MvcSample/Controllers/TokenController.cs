using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Exchanges a development user's name and password for an access token.</summary>
[ApiController]
[AllowAnonymous]
[Route("api/auth")]
public sealed class TokenController(InMemoryUserStore users, DevelopmentTokenIssuer issuer) : ControllerBase
{
    /// <summary>
    /// <c>POST /api/auth/token</c> with <c>{ "username", "password" }</c>: 200 with the token, 401 for wrong
    /// credentials, 400 (validation problem details, from <c>[ApiController]</c>) for a malformed body. Never cached
    /// (RFC 6749 §5.1).
    /// </summary>
    [HttpPost("token")]
    [Consumes("application/json")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    [ProducesResponseType<TokenResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status401Unauthorized)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public IActionResult CreateToken(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var user = users.FindByCredentials(request.UserName!, request.Password!);
        if (user is null)
        {
            return Unauthorized(new ErrorResponse("invalid_credentials", "The username or password is incorrect."));
        }

        return Ok(issuer.Issue(user));
    }
}

using System.Globalization;
using Bearer.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MvcSample.Models;

namespace MvcSample.Controllers;

/// <summary>Ends the caller's access token before it expires, through the application's <see cref="ITokenRevocationStore"/>.</summary>
[ApiController]
[Authorize]
[Route("api/auth")]
public sealed class LogoutController(ITokenRevocationStore revocations, IOptionsMonitor<BearerJwtOptions> bearer) : ControllerBase
{
    /// <summary>
    /// <c>POST /api/auth/logout</c> with the token to end: 204, after which the token gets 401 with
    /// <c>reason="token_revoked"</c>; 401 without a valid token; 400 for a token without <c>jti</c> or <c>exp</c>.
    /// The revocation lasts until the token's <c>exp</c> plus the clock skew, as long as the handler would accept it.
    /// </summary>
    [HttpPost("logout")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        var tokenId = User.FindFirst("jti")?.Value;
        if (string.IsNullOrEmpty(tokenId)
            || !double.TryParse(User.FindFirst("exp")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var exp))
        {
            return BadRequest(new ErrorResponse("token_not_revocable", "The token has no jti and exp to revoke it by."));
        }

        var skew = bearer.Get(BearerJwtDefaults.AuthenticationScheme).ClockSkew;
        await revocations.RevokeTokenAsync(tokenId, DateTimeOffset.FromUnixTimeMilliseconds((long)(exp * 1000)) + skew, cancellationToken);
        return NoContent();
    }
}

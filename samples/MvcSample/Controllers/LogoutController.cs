using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Ends the caller's session, or all of them, before the tokens expire.</summary>
[ApiController]
[Authorize]
[Route("api/auth")]
public sealed class LogoutController(SessionTokens sessions) : ControllerBase
{
    /// <summary>
    /// <c>POST /api/auth/logout</c>: 204. The token's session (<c>sid</c>) ends: its refresh tokens get 400
    /// <c>invalid_grant</c> and its access tokens 401 with <c>reason="token_revoked"</c>. A token without a session
    /// (another issuer's) is revoked alone, by its <c>jti</c>; 400 when it has neither. 401 without a valid token.
    /// </summary>
    [HttpPost("logout")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken) =>
        await EndCurrentAsync(cancellationToken) ? NoContent() : NotRevocable();

    /// <summary>
    /// <c>POST /api/auth/logout-all</c>: 204. Every session of the caller's <c>sub</c> ends (refresh and access
    /// tokens), and the presented token with them; other users are untouched, and a login right after works.
    /// </summary>
    [HttpPost("logout-all")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ErrorResponse>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> LogoutAll(CancellationToken cancellationToken)
    {
        if (User.FindFirst("sub")?.Value is { Length: > 0 } subject)
        {
            await sessions.EndEverySessionAsync(subject, cancellationToken);
        }

        return await EndCurrentAsync(cancellationToken) ? NoContent() : NotRevocable();
    }

    private BadRequestObjectResult NotRevocable() =>
        BadRequest(new ErrorResponse("token_not_revocable", "The token has no sid, nor jti and exp, to revoke it by."));

    /// <summary>Ends the presented token's session, or the token itself when it has none; false when it can be named neither way.</summary>
    private async Task<bool> EndCurrentAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst("sid")?.Value is { Length: > 0 } sessionId)
        {
            await sessions.EndSessionAsync(sessionId, cancellationToken);
            return true;
        }

        if (User.FindFirst("jti")?.Value is { Length: > 0 } tokenId
            && double.TryParse(User.FindFirst("exp")?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var exp))
        {
            await sessions.RevokeAccessTokenAsync(tokenId, DateTimeOffset.FromUnixTimeMilliseconds((long)(exp * 1000)), cancellationToken);
            return true;
        }

        return false;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Only callers with the <c>admin</c> role get here; other authenticated callers get 403.</summary>
[ApiController]
[Authorize(Roles = "admin")]
[Route("api/admin")]
public sealed class AdminController(SessionTokens sessions) : ControllerBase
{
    /// <summary><c>GET /api/admin</c>: a greeting for administrators.</summary>
    [HttpGet]
    public IActionResult Get() => Ok(new { message = "Hello, administrator.", name = User.Identity?.Name });

    /// <summary>
    /// <c>POST /api/admin/revoke</c> with <c>{ "username" }</c>: 204 once every session of that user has ended
    /// (refresh and access tokens), also when the user has none; 400 (validation problem details) for a malformed body.
    /// </summary>
    [HttpPost("revoke")]
    [Consumes("application/json")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status400BadRequest)]
    public async Task<IActionResult> Revoke(RevokeUserRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await sessions.EndEverySessionAsync(request.UserName!, cancellationToken);
        return NoContent();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MvcSample.Controllers;

/// <summary>Only callers with the <c>admin</c> role get here; other authenticated callers get 403.</summary>
[ApiController]
[Authorize(Roles = "admin")]
[Route("api/admin")]
public sealed class AdminController : ControllerBase
{
    /// <summary><c>GET /api/admin</c>: a greeting for administrators.</summary>
    [HttpGet]
    public IActionResult Get() => Ok(new { message = "Hello, administrator.", name = User.Identity?.Name });
}

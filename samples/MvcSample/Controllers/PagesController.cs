using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;

namespace MvcSample.Controllers;

/// <summary>
/// The server-rendered pages. Signed in means a valid access-token cookie (read by the bearer handler); never cached,
/// since they show who is signed in.
/// </summary>
[AutoValidateAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class PagesController : Controller
{
    /// <summary><c>GET /</c>: what the sample is, and who is signed in.</summary>
    [HttpGet("/")]
    [AllowAnonymous]
    public IActionResult Home() => View();

    /// <summary><c>GET /profile</c>: the signed-in user's name, roles, session and access-token expiry.</summary>
    [HttpGet("/profile")]
    [Authorize]
    public IActionResult Profile()
    {
        var identity = (ClaimsIdentity)User.Identity!;
        return View(new ProfileView(
            identity.Name ?? string.Empty,
            [.. identity.FindAll(identity.RoleClaimType).Select(c => c.Value)],
            User.FindFirst("sid")?.Value ?? "(none)",
            ReadExpiry(User.FindFirst("exp")?.Value)));
    }

    /// <summary><c>GET /admin</c>: administrators only; anyone else signed in gets the 403 page.</summary>
    [HttpGet("/admin")]
    [Authorize(Roles = "admin")]
    public IActionResult Admin() => View();

    private static DateTimeOffset? ReadExpiry(string? exp) =>
        double.TryParse(exp, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;
}

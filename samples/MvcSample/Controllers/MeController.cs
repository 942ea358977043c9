using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Models;

namespace MvcSample.Controllers;

/// <summary>Shows any authenticated caller who their token says they are.</summary>
[ApiController]
[Authorize]
[Route("api/me")]
public sealed class MeController : ControllerBase
{
    /// <summary><c>GET /api/me</c>: the caller's name, roles and claims.</summary>
    [HttpGet]
    public MeResponse Get()
    {
        var identity = (ClaimsIdentity)User.Identity!;
        return new MeResponse(
            identity.Name,
            [.. identity.FindAll(identity.RoleClaimType).Select(c => c.Value)],
            [.. identity.Claims.Select(c => new ClaimResponse(c.Type, c.Value))]);
    }
}

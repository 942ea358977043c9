using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace MvcSample.Controllers;

/// <summary>The pages the status-code pages render for a page request that ended without a body (403, 404, …).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ApiExplorerSettings(IgnoreApi = true)]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class ErrorController : Controller
{
    /// <summary>Re-executed as <c>/error/{status}</c> with the original method; keeps the original status.</summary>
    [Route("/error/{status:int:range(400,599)}")]
    public IActionResult Status(int status)
    {
        Response.StatusCode = status;
        return status == StatusCodes.Status403Forbidden ? View("Forbidden") : View("Status", status);
    }
}

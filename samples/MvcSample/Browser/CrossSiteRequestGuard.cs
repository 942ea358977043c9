using MvcSample.Models;

namespace MvcSample.Browser;

/// <summary>
/// Refuses cross-site requests that could act with the browser's cookies (CSRF). A state-changing request
/// (anything but <c>GET</c>, <c>HEAD</c>, <c>OPTIONS</c>, <c>TRACE</c>; any method at all on
/// <see cref="BrowserCookies.RefreshPath"/>) without <c>Bearer</c> credentials in its
/// <c>Authorization</c> header must come from this origin: <c>Sec-Fetch-Site</c> <c>same-origin</c> or <c>none</c>
/// (the user typed the address); without fetch metadata (older browsers), an <c>Origin</c> equal to this server's;
/// with neither, it did not come from a browser page (curl, an API client), which holds no ambient cookie. A
/// WebSocket upgrade that carries the access cookie must send this server's <c>Origin</c>. A refusal is
/// <c>403 {"error":"cross_site_request"}</c> and nothing runs. Antiforgery tokens on every form are the second layer.
/// </summary>
/// <remarks>
/// Behind a proxy, forward the original scheme and host (<c>UseForwardedHeaders</c>) or the <c>Origin</c> comparison
/// refuses the site's own pages.
/// </remarks>
public sealed partial class CrossSiteRequestGuard(RequestDelegate next, ILogger<CrossSiteRequestGuard> logger)
{
    /// <summary>Checks the request, then runs the rest of the pipeline or refuses it.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (BrowserRequests.HasBearerHeader(request) || IsAllowed(request))
        {
            await next(context);
            return;
        }

        // Percent-encoded: a path is the client's text, and a raw CR or LF in it would forge log lines.
        LogRefused(logger, request.Method, request.Path.ToUriComponent());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new ErrorResponse("cross_site_request", "Cross-site requests may not change state here."), context.RequestAborted);
    }

    private static bool IsAllowed(HttpRequest request)
    {
        if (BrowserRequests.IsWebSocketUpgrade(request))
        {
            return !request.Cookies.ContainsKey(BrowserCookies.AccessToken) || IsOwnOrigin(request, request.Headers.Origin);
        }

        // The refresh path changes state on GET and HEAD too (it rotates the refresh token, or clears the cookies when
        // that is refused): another site's top-level navigation there is judged like a form post.
        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
            && !request.Path.StartsWithSegments(BrowserCookies.RefreshPath, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var fetchSite = request.Headers["Sec-Fetch-Site"];
        if (fetchSite.Count > 0)
        {
            return fetchSite.Count == 1 && fetchSite[0] is "same-origin" or "none";
        }

        var origin = request.Headers.Origin;
        return origin.Count == 0 || IsOwnOrigin(request, origin);
    }

    /// <summary>Whether the one <c>Origin</c> sent is this server's scheme, host and port (<c>null</c> never is).</summary>
    private static bool IsOwnOrigin(HttpRequest request, Microsoft.Extensions.Primitives.StringValues origin)
    {
        if (origin.Count != 1 || !Uri.TryCreate(origin[0], UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
        {
            return false;
        }

        return Uri.TryCreate(request.Scheme + "://" + request.Host.Value, UriKind.Absolute, out var own)
            && string.Equals(uri.Scheme, own.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, own.Authority, StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Refused a cross-site {Method} {Path}")]
    private static partial void LogRefused(ILogger logger, string method, string path);
}

using System.Globalization;
using Bearer.Auth;
using Microsoft.AspNetCore.Authentication;

namespace MvcSample.Browser;

/// <summary>
/// Keeps a browser signed in while its session lasts. A page request whose access-token cookie is close to expiry
/// (its last quarter, at most the last minute) or expired is sent through <see cref="BrowserCookies.RefreshPath"/>,
/// the one path the refresh cookie is sent to, which rotates the refresh token, sets new cookies and sends the
/// browser straight back: <c>302</c> for <c>GET</c>/<c>HEAD</c>, <c>307</c> (same method and body, so a form post
/// survives) for <c>POST</c>; other methods are not redirected. The path base is kept. No script is involved and the user sees no login. Requests with <c>Bearer</c> header
/// credentials and API requests are left alone: they refresh with <c>POST /api/auth/refresh</c>.
/// </summary>
/// <remarks>
/// Several tabs racing present the same refresh token; the library's idempotent retry
/// (<c>RefreshReuseGracePeriod</c>) rotates it once and hands every racer the same successor, so all stay signed in.
/// </remarks>
public sealed class SilentRefreshMiddleware(RequestDelegate next, TimeProvider time)
{
    private static readonly TimeSpan MaximumMargin = TimeSpan.FromMinutes(1);

    // A token younger than this is never due: exp and iat are whole seconds, so a very short lifetime could otherwise
    // send a fresh token straight back to be refreshed again.
    private static readonly TimeSpan MinimumAge = TimeSpan.FromSeconds(1);

    /// <summary>Redirects through the refresh path when the access token is due, else runs the rest of the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!request.Cookies.ContainsKey(BrowserCookies.AccessToken)
            || !BrowserRequests.IsPage(request)
            || !IsRedirectable(request.Method)
            || BrowserRequests.HasBearerHeader(request)
            || request.Path.StartsWithSegments(BrowserCookies.RefreshPath, StringComparison.OrdinalIgnoreCase)
            || !await IsDueAsync(context))
        {
            await next(context);
            return;
        }

        var back = BrowserRequests.PathAndQuery(request);
        var safe = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        context.Response.Headers.CacheControl = "no-store";
        context.Response.StatusCode = safe ? StatusCodes.Status302Found : StatusCodes.Status307TemporaryRedirect;
        context.Response.Headers.Location = request.PathBase.Add(BrowserCookies.RefreshPath).ToUriComponent() + "?returnUrl=" + Uri.EscapeDataString(back);
    }

    // The methods the refresh path accepts. Another (PUT, DELETE…) is not sent there, where it would be a 405: it
    // goes on with its token, still valid if only due, and if expired is refused as any expired token is.
    private static bool IsRedirectable(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPost(method);

    /// <summary>Whether the cookie's token has expired, or is in its last quarter (at most its last minute).</summary>
    private async Task<bool> IsDueAsync(HttpContext context)
    {
        // The handler authenticates once per request; this reads the result UseAuthentication already produced.
        var result = await context.AuthenticateAsync(BearerJwtDefaults.AuthenticationScheme);
        if (!result.Succeeded)
        {
            return result.Failure is BearerJwtException { Reason: TokenFailureReason.TokenExpired };
        }

        if (!TryReadSeconds(result.Principal, "exp", out var expires) || !TryReadSeconds(result.Principal, "iat", out var issued))
        {
            return false;
        }

        var now = time.GetUtcNow();
        var quarter = (expires - issued) / 4;
        var margin = quarter < MaximumMargin ? quarter : MaximumMargin;
        return now >= expires - margin && now - issued >= MinimumAge;
    }

    private static bool TryReadSeconds(System.Security.Claims.ClaimsPrincipal principal, string type, out DateTimeOffset value)
    {
        value = default;
        if (!double.TryParse(principal.FindFirst(type)?.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }
}

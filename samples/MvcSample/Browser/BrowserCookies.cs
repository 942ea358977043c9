using Microsoft.Extensions.Options;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Browser;

/// <summary>
/// The cookies a browser session lives in. The access token goes in a <c>__Host-</c> cookie (<c>Secure</c>,
/// <c>Path=/</c>, no <c>Domain</c>: no sibling subdomain can set or shadow it), the refresh token in a
/// <c>__Secure-</c> cookie sent only to <see cref="RefreshPath"/>. Both are <c>HttpOnly</c> (no script reads them)
/// and <c>SameSite=Strict</c> (no other site's request carries them).
/// </summary>
public sealed class BrowserCookies(IOptions<SessionLifetimeOptions> lifetimes)
{
    /// <summary>The access token cookie, the one the handler reads (<c>TokenCookieName</c>).</summary>
    public const string AccessToken = "__Host-access_token";

    /// <summary>The refresh token cookie.</summary>
    public const string RefreshToken = "__Secure-refresh_token";

    /// <summary>Where the browser sends the refresh token, and nowhere else.</summary>
    public const string RefreshPath = "/auth/refresh";

    /// <summary>
    /// Sets both cookies. Both last as long as the refresh token: an expired access token must still reach the server,
    /// which then refreshes it (<see cref="SilentRefreshMiddleware"/>) instead of sending the user to the login page.
    /// </summary>
    public void Set(HttpResponse response, TokenResponse tokens)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(tokens);
        var lifetime = lifetimes.Value.RefreshTokenLifetime;
        response.Cookies.Append(AccessToken, tokens.AccessToken, Options("/", lifetime));
        response.Cookies.Append(RefreshToken, tokens.RefreshToken, Options(RefreshPathIn(response), lifetime));
    }

    /// <summary>Removes both cookies (each with the path it was set with, or the browser keeps it).</summary>
    public static void Clear(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(AccessToken, Options("/", maxAge: null));
        response.Cookies.Delete(RefreshToken, Options(RefreshPathIn(response), maxAge: null));
    }

    // Under a path base (a virtual directory, a proxy prefix) the refresh path the browser sees starts with it.
    private static string RefreshPathIn(HttpResponse response) => response.HttpContext.Request.PathBase.Add(RefreshPath).ToUriComponent();

    /// <summary>Removes the access-token cookie alone.</summary>
    public static void ClearAccessToken(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Cookies.Delete(AccessToken, Options("/", maxAge: null));
    }

    // Secure even over http: browsers accept Secure cookies from http://localhost and http://127.0.0.1 (secure
    // contexts), and everywhere else the sample must be served over HTTPS.
    private static CookieOptions Options(string path, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        Secure = true,
        SameSite = SameSiteMode.Strict,
        Path = path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}

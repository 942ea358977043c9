using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using MvcSample.Browser;
using MvcSample.Models;
using MvcSample.Services;

namespace MvcSample.Controllers;

/// <summary>Browser sign-in: the login form, logout, and the refresh the browser is sent through when its token is due.</summary>
[AutoValidateAntiforgeryToken]
[ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
public sealed class AccountController(InMemoryUserStore users, SessionTokens sessions, BrowserCookies cookies) : Controller
{
    /// <summary><c>GET /login?returnUrl=…</c>: the form.</summary>
    [HttpGet("/login")]
    [AllowAnonymous]
    public IActionResult Login(string? returnUrl) => View(new LoginForm { ReturnUrl = LocalOrNull(returnUrl) });

    /// <summary>
    /// <c>POST /login</c> (antiforgery token required): on the right password a new session whose tokens go into the
    /// cookies, then back to <c>returnUrl</c> when it is a local URL (else <c>/profile</c>); otherwise the form again,
    /// 401, with a message that does not say which of the two was wrong.
    /// </summary>
    [HttpPost("/login")]
    [AllowAnonymous]
    public async Task<IActionResult> Login([FromForm] LoginForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        form.ReturnUrl = LocalOrNull(form.ReturnUrl);
        var user = string.IsNullOrEmpty(form.UserName) || string.IsNullOrEmpty(form.Password)
            ? null
            : users.FindByCredentials(form.UserName, form.Password);
        if (user is null)
        {
            form.Password = null;
            form.Error = "The username or password is incorrect.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return View(form);
        }

        cookies.Set(Response, await sessions.SignInAsync(user, cancellationToken));
        return LocalRedirect(form.ReturnUrl ?? "/profile");
    }

    /// <summary>
    /// <c>POST /logout</c> (antiforgery token required): ends the session on the server (its refresh tokens, and its
    /// access tokens through the revocation store), clears both cookies, and goes home.
    /// </summary>
    [HttpPost("/logout")]
    [AllowAnonymous]
    public async Task<IActionResult> Logout(CancellationToken cancellationToken)
    {
        if (User.FindFirst("sid")?.Value is { Length: > 0 } sessionId)
        {
            await sessions.EndSessionAsync(sessionId, cancellationToken);
        }

        BrowserCookies.Clear(Response);
        return LocalRedirect("/");
    }

    /// <summary>
    /// <c>/auth/refresh?returnUrl=…</c>, where <see cref="SilentRefreshMiddleware"/> sends a browser whose token is due
    /// (the only path the refresh cookie is sent to): rotates the refresh token, sets both cookies and sends the
    /// browser back, with the same method for a form post (307). A refused refresh (session ended, expired, reused)
    /// clears the cookies and goes to the login form; without a refresh cookie only the access cookie sent is cleared.
    /// The cross-site guard checks fetch metadata here for every method, GET included. No antiforgery token: a redirected request carries none; the
    /// cross-site guard and <c>SameSite=Strict</c> keep other sites out, and it only renews the caller's own session.
    /// <c>returnUrl</c> is read from the query alone: a re-posted form's own <c>ReturnUrl</c> field must not redirect
    /// it anywhere but the page it was posted to.
    /// </summary>
    [AcceptVerbs("GET", "HEAD", "POST", Route = BrowserCookies.RefreshPath)]
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    public async Task<IActionResult> Refresh([FromQuery] string? returnUrl, CancellationToken cancellationToken)
    {
        var safe = HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method);
        var back = LocalOrNull(returnUrl) ?? "/";
        if (!Request.Cookies.TryGetValue(BrowserCookies.RefreshToken, out var refreshToken))
        {
            // No refresh cookie may mean another site's request, which SameSite=Strict sent without cookies: clearing
            // them would sign the browser out for that site. Only an access cookie the request carries is cleared, or
            // a due one would send the browser round again.
            if (Request.Cookies.ContainsKey(BrowserCookies.AccessToken))
            {
                BrowserCookies.ClearAccessToken(Response);
            }

            return LocalRedirect(BrowserRequests.LoginUrl(safe ? back : "/"));
        }

        var (tokens, _) = await sessions.RefreshAsync(refreshToken, cancellationToken);
        if (tokens is null)
        {
            BrowserCookies.Clear(Response);
            return LocalRedirect(BrowserRequests.LoginUrl(safe ? back : "/"));
        }

        cookies.Set(Response, tokens);
        return safe ? LocalRedirect(back) : LocalRedirectPreserveMethod(back);
    }

    /// <summary>
    /// <paramref name="returnUrl"/> when it stays on this site (<c>/path</c>, never <c>//host</c> or <c>/\host</c>) and
    /// can go in a <c>Location</c> header as it is (printable ASCII: Kestrel refuses anything else with a 500, after
    /// the session was created or rotated), else <see langword="null"/>. Links the sample makes are percent-encoded.
    /// </summary>
    private string? LocalOrNull(string? returnUrl) => Url.IsLocalUrl(returnUrl) && IsPrintableAscii(returnUrl) ? returnUrl : null;

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}

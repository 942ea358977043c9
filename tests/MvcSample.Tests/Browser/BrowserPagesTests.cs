using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests.Browser;

/// <summary>
/// The browser pages over a test host: sign-in into HttpOnly cookies, the pages each user sees, the login redirect
/// with a local-only <c>returnUrl</c>, the 403 page, logout, and API clients still getting RFC 6750 challenges.
/// </summary>
public sealed class BrowserPagesTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("/profile", "/login?returnUrl=%2Fprofile")]
    [InlineData("/admin?tab=users", "/login?returnUrl=%2Fadmin%3Ftab%3Dusers")]
    public async Task A_page_without_sign_in_redirects_to_the_login_form_coming_back_to_it(string page, string location)
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.GetAsync(page);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(location, response.Headers.Location?.OriginalString);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Theory]
    [InlineData("/api/me", null)]
    [InlineData("/api/admin", null)]
    [InlineData("/profile", "application/json")]
    public async Task API_requests_get_the_bearer_challenge_never_a_redirect(string path, string? accept)
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.GetAsync(path, r =>
        {
            if (accept is not null)
            {
                r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(response.Headers.Location);
        SampleApi.AssertBearerChallenge(response);
    }

    [Fact]
    public async Task Sign_in_puts_the_tokens_in_HttpOnly_Secure_Strict_cookies_the_refresh_token_scoped_to_its_path()
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.LoginAsync("alice", "alice-dev-password");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/profile", response.Headers.Location?.OriginalString);
        var setCookies = response.Headers.GetValues("Set-Cookie").ToList();
        var access = Assert.Single(setCookies, c => c.StartsWith(BrowserSession.AccessCookie + "=", StringComparison.Ordinal));
        var refresh = Assert.Single(setCookies, c => c.StartsWith(BrowserSession.RefreshCookie + "=", StringComparison.Ordinal));
        Assert.Equal(["httponly", "max-age=1209600", "path=/", "samesite=strict", "secure"], Attributes(access));
        Assert.Equal(["httponly", "max-age=1209600", "path=/auth/refresh", "samesite=strict", "secure"], Attributes(refresh));
        Assert.DoesNotContain("domain=", access, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, browser.Cookie(BrowserSession.AccessCookie)!.Split('.').Length);
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData("http", false)]
    public async Task The_antiforgery_cookie_is_HttpOnly_and_Strict_and_Secure_over_HTTPS(string scheme, bool secure)
    {
        var response = await factory.Server.SendAsync(context =>
        {
            context.Request.Scheme = scheme;
            context.Request.Path = "/login";
        }, SampleApi.Cancellation);

        Assert.Equal(200, response.Response.StatusCode);
        var cookie = Assert.Single(response.Response.Headers.SetCookie, c => c!.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal))!;
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Equal(secure, attributes.Contains("secure"));
    }

    [Fact]
    public async Task Alice_sees_her_profile_with_roles_session_and_expiry_and_the_admin_page()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        using var payload = SampleApi.DecodeSegment(browser.Cookie(BrowserSession.AccessCookie)!, 1);

        var (profile, _) = await browser.NavigateAsync("/profile");
        var (admin, _) = await browser.NavigateAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, profile.StatusCode);
        var html = await profile.Content.ReadAsStringAsync(SampleApi.Cancellation);
        Assert.Contains("<dd id=\"profile-name\">alice</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd id=\"profile-roles\">admin, user</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<code>{payload.RootElement.GetProperty("sid").GetString()}</code>", html, StringComparison.Ordinal);
        var expires = DateTimeOffset.FromUnixTimeSeconds(payload.RootElement.GetProperty("exp").GetInt64());
        Assert.Contains(expires.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture), html, StringComparison.Ordinal);
        Assert.True(profile.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Contains("Hello, administrator <strong>alice</strong>", await admin.Content.ReadAsStringAsync(SampleApi.Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bob_gets_the_403_page_at_the_admin_address_and_the_admin_API_keeps_its_403_challenge()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("bob", "bob-dev-password")).Dispose();

        using var page = await browser.GetAsync("/admin");
        using var api = await browser.GetAsync("/api/admin");

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync(SampleApi.Cancellation);
        Assert.Contains("You are not allowed to see this page", html, StringComparison.Ordinal);
        Assert.Contains("signed in as <strong>bob</strong>", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        SampleApi.AssertBearerChallenge(api, "insufficient_scope");
        Assert.NotEqual("text/html", api.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("https:/evil.example")]
    public async Task An_off_site_returnUrl_is_ignored_and_sign_in_goes_to_the_profile(string returnUrl)
    {
        using var browser = new BrowserSession(factory);
        using var form = await browser.GetAsync("/login?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var html = await form.Content.ReadAsStringAsync(SampleApi.Cancellation);

        using var response = await browser.LoginAsync("alice", "alice-dev-password", returnUrl);

        Assert.Contains("<input type=\"hidden\" name=\"ReturnUrl\">", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/profile", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/caf\u00e9")]
    [InlineData("/\u2028")]
    [InlineData("/a\rb")]
    [InlineData("/a\u007fb")]
    public async Task A_local_returnUrl_a_Location_header_cannot_carry_is_ignored_and_sign_in_goes_to_the_profile(string returnUrl)
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.LoginAsync("alice", "alice-dev-password", returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/profile", response.Headers.Location?.OriginalString);
        Assert.NotNull(browser.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task A_local_returnUrl_is_where_sign_in_goes()
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.LoginAsync("alice", "alice-dev-password", "/admin?tab=users");

        Assert.Equal("/admin?tab=users", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "alice-dev-password")]
    [InlineData("alice", "")]
    public async Task A_wrong_password_or_user_shows_the_form_again_401_and_sets_no_token_cookie(string userName, string password)
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.LoginAsync(userName, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The username or password is incorrect.", await response.Content.ReadAsStringAsync(SampleApi.Cancellation), StringComparison.Ordinal);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
        Assert.Null(browser.Cookie(BrowserSession.RefreshCookie));
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_400_and_sets_no_token_cookie()
    {
        using var browser = new BrowserSession(factory);

        using var response = await browser.PostFormAsync("/login", [new("UserName", "alice"), new("Password", "alice-dev-password")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task Logout_ends_the_session_clears_both_cookies_and_the_old_cookie_replayed_is_401_token_revoked()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var oldAccess = browser.Cookie(BrowserSession.AccessCookie)!;
        var oldRefresh = browser.Cookie(BrowserSession.RefreshCookie)!;

        using var logout = await browser.LogoutAsync();

        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/", logout.Headers.Location?.OriginalString);
        var cleared = logout.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cleared, c => c.StartsWith(BrowserSession.AccessCookie + "=;", StringComparison.Ordinal) && c.Contains("path=/;", StringComparison.Ordinal));
        Assert.Contains(cleared, c => c.StartsWith(BrowserSession.RefreshCookie + "=;", StringComparison.Ordinal) && c.Contains("path=/auth/refresh", StringComparison.Ordinal));
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
        Assert.Null(browser.Cookie(BrowserSession.RefreshCookie));

        using var replay = new BrowserSession(factory);
        replay.SetCookie(BrowserSession.AccessCookie, oldAccess);
        replay.SetCookie(BrowserSession.RefreshCookie, oldRefresh, "/auth/refresh");
        using var api = await replay.GetAsync("/api/me");
        using var page = await replay.GetAsync("/profile");
        using var refresh = await replay.GetAsync("/auth/refresh?returnUrl=%2Fprofile");
        SampleApi.AssertRevoked(api);
        Assert.Equal("/login?returnUrl=%2Fprofile", page.Headers.Location?.OriginalString);
        Assert.Equal("/login?returnUrl=%2Fprofile", refresh.Headers.Location?.OriginalString);
        Assert.Null(replay.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task An_Authorization_header_wins_over_the_cookie()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("bob", "bob-dev-password")).Dispose();
        using var api = factory.CreateClient();
        var aliceToken = await SampleApi.GetTokenAsync(api, "alice", "alice-dev-password");

        using var withHeader = await browser.GetAsync("/api/admin", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", aliceToken));
        using var cookieOnly = await browser.GetAsync("/api/admin");

        Assert.Equal(HttpStatusCode.OK, withHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cookieOnly.StatusCode);
    }

    [Fact]
    public async Task The_pages_show_who_is_signed_in_and_the_sign_out_form_carries_an_antiforgery_token()
    {
        using var browser = new BrowserSession(factory);
        using var anonymous = await browser.GetAsync("/");
        (await browser.LoginAsync("bob", "bob-dev-password")).Dispose();

        using var home = await browser.GetAsync("/");

        Assert.Contains("href=\"/login\"", await anonymous.Content.ReadAsStringAsync(SampleApi.Cancellation), StringComparison.Ordinal);
        var html = await home.Content.ReadAsStringAsync(SampleApi.Cancellation);
        Assert.Contains("Signed in as <strong>bob</strong>", html, StringComparison.Ordinal);
        Assert.Matches("<form class=\"signed-in\" method=\"post\" action=\"/logout\">[\\s\\S]*name=\"__RequestVerificationToken\"", html);
    }

    private static string[] Attributes(string setCookie) =>
        [.. setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(a => a.ToLowerInvariant()).Order(StringComparer.Ordinal)];
}

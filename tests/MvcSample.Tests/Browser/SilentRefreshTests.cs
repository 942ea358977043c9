using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests.Browser;

/// <summary>
/// Silent refresh: a page request whose access token is due (last quarter of a one-minute lifetime, or expired) goes
/// through <c>/auth/refresh</c> (the only path the refresh cookie is sent to) and straight back with new cookies;
/// racing requests rotate the refresh token once and all stay signed in; a refused refresh signs the browser out.
/// </summary>
public sealed class SilentRefreshTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Theory]
    [InlineData(46)]
    [InlineData(59)]
    [InlineData(75)]
    [InlineData(600)]
    public async Task A_page_load_with_a_token_due_or_expired_refreshes_it_and_comes_back_signed_in(int secondsLater)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var oldAccess = browser.Cookie(BrowserSession.AccessCookie)!;
        var oldRefresh = browser.Cookie(BrowserSession.RefreshCookie)!;
        clock.Advance(TimeSpan.FromSeconds(secondsLater));

        var (page, visited) = await browser.NavigateAsync("/profile");

        Assert.Equal(["/profile", "/auth/refresh?returnUrl=%2Fprofile", "/profile"], visited);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var newAccess = browser.Cookie(BrowserSession.AccessCookie)!;
        Assert.NotEqual(oldAccess, newAccess);
        Assert.NotEqual(oldRefresh, browser.Cookie(BrowserSession.RefreshCookie));
        Assert.Equal(Claim(oldAccess, "sid"), Claim(newAccess, "sid"));
        Assert.Contains($"<code>{Claim(newAccess, "sid")}</code>", await page.Content.ReadAsStringAsync(SampleApi.Cancellation), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(44)]
    public async Task A_token_not_yet_due_is_used_as_it_is(int secondsLater)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie);
        clock.Advance(TimeSpan.FromSeconds(secondsLater));

        var (page, visited) = await browser.NavigateAsync("/profile");

        Assert.Equal(["/profile"], visited);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(access, browser.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task A_form_post_with_a_due_token_is_sent_through_refresh_with_307_keeping_method_and_body()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var token = await browser.FormTokenAsync("/profile");
        clock.Advance(TimeSpan.FromSeconds(50));
        var fields = new KeyValuePair<string, string>[] { new("__RequestVerificationToken", token) };

        using var first = await browser.PostFormAsync("/logout", fields);
        using var refresh = await browser.PostFormAsync(first.Headers.Location!.OriginalString, fields);
        var refreshedAccess = browser.Cookie(BrowserSession.AccessCookie)!;
        using var replayed = await browser.PostFormAsync(refresh.Headers.Location!.OriginalString, fields);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, first.StatusCode);
        Assert.Equal("/auth/refresh?returnUrl=%2Flogout", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, refresh.StatusCode);
        Assert.Equal("/logout", refresh.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Found, replayed.StatusCode);
        Assert.Equal("/", replayed.Headers.Location?.OriginalString);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
        using var api = host.CreateClient();
        using var me = await SampleApi.GetAsync(api, "/api/me", refreshedAccess);
        SampleApi.AssertRevoked(me);
    }

    [Fact]
    public async Task A_login_form_post_with_a_due_token_comes_back_to_login_not_to_the_forms_ReturnUrl()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var token = await browser.FormTokenAsync("/login");
        clock.Advance(TimeSpan.FromSeconds(50));
        var fields = new KeyValuePair<string, string>[]
        {
            new("UserName", "bob"),
            new("Password", "bob-dev-password"),
            new("ReturnUrl", "/elsewhere"),
            new("__RequestVerificationToken", token),
        };

        using var first = await browser.PostFormAsync("/login", fields);
        using var refresh = await browser.PostFormAsync(first.Headers.Location!.OriginalString, fields);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, first.StatusCode);
        Assert.Equal("/auth/refresh?returnUrl=%2Flogin", first.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, refresh.StatusCode);
        Assert.Equal("/login", refresh.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Racing_refreshes_of_one_session_rotate_once_and_every_racer_stays_signed_in()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie)!;
        var refresh = browser.Cookie(BrowserSession.RefreshCookie)!;
        clock.Advance(TimeSpan.FromSeconds(50));

        var tabs = Enumerable.Range(0, 8).Select(_ => Tab(host, access, refresh)).ToList();
        var answers = await Task.WhenAll(tabs.Select(tab => tab.GetAsync("/auth/refresh?returnUrl=%2Fprofile")));

        Assert.All(answers, a => Assert.Equal("/profile", a.Headers.Location?.OriginalString));
        var successors = tabs.Select(t => t.Cookie(BrowserSession.RefreshCookie)).Distinct().ToList();
        Assert.NotEqual(refresh, Assert.Single(successors));
        foreach (var tab in tabs)
        {
            var (page, visited) = await tab.NavigateAsync("/profile");
            Assert.Equal(["/profile"], visited);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // The one successor is the session's current token: it refreshes again.
        using var next = await tabs[0].GetAsync("/auth/refresh?returnUrl=%2Fprofile");
        Assert.Equal("/profile", next.Headers.Location?.OriginalString);
        Assert.NotEqual(successors[0], tabs[0].Cookie(BrowserSession.RefreshCookie));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        foreach (var tab in tabs)
        {
            tab.Dispose();
        }
    }

    [Fact]
    public async Task A_refused_refresh_clears_both_cookies_and_goes_to_the_login_form()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        using (var api = host.CreateClient())
        {
            using var logout = await SampleApi.PostAsync(api, "/api/auth/logout", browser.Cookie(BrowserSession.AccessCookie));
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var (revokedPage, revokedVisit) = await browser.NavigateAsync("/profile");
        clock.Advance(TimeSpan.FromMinutes(2));

        var (page, visited) = await browser.NavigateAsync("/profile");

        // Revoked and not yet expired: refused as it is, straight to the login form. Expired: refresh is tried and refused.
        Assert.Equal(["/profile", "/login?returnUrl=%2Fprofile"], revokedVisit);
        Assert.Equal(HttpStatusCode.OK, revokedPage.StatusCode);
        Assert.Equal(["/profile", "/auth/refresh?returnUrl=%2Fprofile", "/login?returnUrl=%2Fprofile"], visited);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
        Assert.Null(browser.Cookie(BrowserSession.RefreshCookie));
    }

    [Fact]
    public async Task API_requests_and_Authorization_header_requests_are_never_sent_to_refresh()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie)!;
        clock.Advance(TimeSpan.FromSeconds(50));

        using var api = await browser.GetAsync("/api/me");
        using var header = await browser.GetAsync("/profile", r => r.Headers.Authorization = new("Bearer", access));
        clock.Advance(TimeSpan.FromMinutes(5));
        using var expired = await browser.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, header.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("reason=\"token_expired\"", Assert.Single(expired.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    public async Task The_refresh_path_never_sends_the_browser_off_site(string returnUrl)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var response = await browser.GetAsync("/auth/refresh?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/caf\u00e9")]
    [InlineData("/\u2028")]
    [InlineData("/a\rb")]
    public async Task A_refresh_returnUrl_a_Location_header_cannot_carry_goes_home_with_the_new_cookies(string returnUrl)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var oldRefresh = browser.Cookie(BrowserSession.RefreshCookie);

        using var response = await browser.GetAsync("/auth/refresh?returnUrl=" + Uri.EscapeDataString(returnUrl));

        // Rotated and answered: a 500 here would leave the browser holding the old, now superseded, refresh token.
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.NotEqual(oldRefresh, browser.Cookie(BrowserSession.RefreshCookie));
    }

    [Theory]
    [InlineData("GET", "cross-site", null)]
    [InlineData("GET", "same-site", null)]
    [InlineData("HEAD", "cross-site", null)]
    [InlineData("GET", null, "http://evil.example")]
    [InlineData("POST", "cross-site", null)]
    public async Task A_cross_site_request_to_the_refresh_path_is_refused_and_neither_rotates_nor_clears(string method, string? fetchSite, string? origin)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie);
        var refresh = browser.Cookie(BrowserSession.RefreshCookie);
        clock.Advance(TimeSpan.FromSeconds(50));

        using var request = new HttpRequestMessage(new HttpMethod(method), "/auth/refresh?returnUrl=%2Fprofile");
        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }

        using var response = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(access, browser.Cookie(BrowserSession.AccessCookie));
        Assert.Equal(refresh, browser.Cookie(BrowserSession.RefreshCookie));
        using var same = await browser.GetAsync("/auth/refresh?returnUrl=%2Fprofile", r => r.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin"));
        Assert.Equal("/profile", same.Headers.Location?.OriginalString);
        Assert.NotEqual(refresh, browser.Cookie(BrowserSession.RefreshCookie));
    }

    [Fact]
    public async Task A_refresh_without_any_cookie_clears_nothing_and_goes_to_the_login_form()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);

        // What a cross-site navigation looks like once SameSite=Strict has left the cookies out.
        using var response = await browser.GetAsync("/auth/refresh?returnUrl=%2Fprofile");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fprofile", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task A_due_access_cookie_without_its_refresh_cookie_is_cleared_and_the_browser_is_not_sent_round_again()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var signedIn = new BrowserSession(host);
        (await signedIn.LoginAsync("alice", "alice-dev-password")).Dispose();
        using var browser = new BrowserSession(host);
        browser.SetCookie(BrowserSession.AccessCookie, signedIn.Cookie(BrowserSession.AccessCookie)!);
        clock.Advance(TimeSpan.FromSeconds(50));

        var (page, visited) = await browser.NavigateAsync("/profile");

        Assert.Equal(["/profile", "/auth/refresh?returnUrl=%2Fprofile", "/login?returnUrl=%2Fprofile"], visited);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task A_due_request_with_a_method_the_refresh_path_refuses_is_not_sent_there(string method)
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        clock.Advance(TimeSpan.FromSeconds(50));

        using var request = new HttpRequestMessage(new HttpMethod(method), "/profile");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        using var response = await browser.SendAsync(request);

        // Past the refresh: /profile has no such action, so the answer is MVC's 405, not a 307 to a route that 405s.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Under_a_path_base_the_refresh_redirect_and_the_refresh_cookie_path_keep_it()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock);
        using var browser = new BrowserSession(host);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie);
        var refresh = browser.Cookie(BrowserSession.RefreshCookie);
        clock.Advance(TimeSpan.FromSeconds(50));

        var page = await host.Server.SendAsync(context =>
        {
            context.Request.PathBase = "/base";
            context.Request.Path = "/profile";
            context.Request.Headers.Cookie = BrowserSession.AccessCookie + "=" + access;
        }, SampleApi.Cancellation);
        var refreshed = await host.Server.SendAsync(context =>
        {
            context.Request.PathBase = "/base";
            context.Request.Path = "/auth/refresh";
            context.Request.QueryString = new QueryString("?returnUrl=%2Fbase%2Fprofile");
            context.Request.Headers.Cookie = BrowserSession.AccessCookie + "=" + access + "; " + BrowserSession.RefreshCookie + "=" + refresh;
        }, SampleApi.Cancellation);

        Assert.Equal(StatusCodes.Status302Found, page.Response.StatusCode);
        Assert.Equal("/base/auth/refresh?returnUrl=%2Fbase%2Fprofile", page.Response.Headers.Location.ToString());
        Assert.Equal("/base/profile", refreshed.Response.Headers.Location.ToString());
        var setCookie = refreshed.Response.Headers.SetCookie.ToArray();
        Assert.Contains(setCookie, c => c!.StartsWith(BrowserSession.RefreshCookie + "=", StringComparison.Ordinal)
            && c.Contains("path=/base/auth/refresh;", StringComparison.Ordinal));
    }

    private static BrowserSession Tab(WebApplicationFactory<Program> host, string access, string refresh)
    {
        var tab = new BrowserSession(host);
        tab.SetCookie(BrowserSession.AccessCookie, access);
        tab.SetCookie(BrowserSession.RefreshCookie, refresh, "/auth/refresh");
        return tab;
    }

    private static string Claim(string accessToken, string name)
    {
        using var payload = SampleApi.DecodeSegment(accessToken, 1);
        return payload.RootElement.GetProperty(name).ToString();
    }

    private WebApplicationFactory<Program> Host(FakeTimeProvider clock) =>
        factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Sessions:AccessTokenLifetime"] = "00:01:00",
            }));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock));
        });
}

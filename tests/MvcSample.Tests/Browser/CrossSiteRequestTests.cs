using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using MvcSample.Tests.Support;

namespace MvcSample.Tests.Browser;

/// <summary>
/// CSRF defences, each layer on its own: fetch metadata (<c>Sec-Fetch-Site</c>), the <c>Origin</c> check where fetch
/// metadata is absent, antiforgery tokens on forms, and <c>Origin</c> on WebSocket upgrades carrying the cookie.
/// A refused request changes nothing: the session still works afterwards. Bearer-header requests are exempt.
/// </summary>
public sealed class CrossSiteRequestTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Theory]
    [InlineData("cross-site", null)]
    [InlineData("same-site", null)]
    [InlineData("cross-site", "http://localhost")]
    [InlineData(null, "http://localhost:8080")]
    [InlineData(null, "https://localhost")]
    [InlineData(null, "http://evil.example")]
    [InlineData(null, "null")]
    [InlineData(null, "http://localhost/path")]
    public async Task A_cross_site_logout_with_a_valid_antiforgery_token_is_refused_and_the_session_lives(string? fetchSite, string? origin)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var token = await browser.FormTokenAsync("/profile");

        using var response = await browser.PostFormAsync("/logout", [new("__RequestVerificationToken", token)], r => Foreign(r, fetchSite, origin));

        await AssertRefusedAsync(response);
        Assert.NotNull(browser.Cookie(BrowserSession.AccessCookie));
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData("same-origin", null)]
    [InlineData("none", null)]
    [InlineData(null, "http://localhost")]
    [InlineData(null, null)]
    public async Task A_same_origin_logout_is_allowed(string? fetchSite, string? origin)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var token = await browser.FormTokenAsync("/profile");

        using var response = await browser.PostFormAsync("/logout", [new("__RequestVerificationToken", token)], r => Foreign(r, fetchSite, origin));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task A_cross_site_login_form_post_is_refused_and_sets_no_cookie()
    {
        using var browser = new BrowserSession(factory);
        var token = await browser.FormTokenAsync("/login");

        using var response = await browser.PostFormAsync(
            "/login",
            [new("UserName", "alice"), new("Password", "alice-dev-password"), new("__RequestVerificationToken", token)],
            r => Foreign(r, "cross-site", "http://localhost:9999"));

        await AssertRefusedAsync(response);
        Assert.Null(browser.Cookie(BrowserSession.AccessCookie));
    }

    [Fact]
    public async Task A_same_origin_logout_without_the_antiforgery_token_is_400_and_the_session_lives()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var missing = await browser.PostFormAsync("/logout", []);
        using var forged = await browser.PostFormAsync("/logout", [new("__RequestVerificationToken", "CfDJ8forged")]);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Another_users_antiforgery_token_is_400()
    {
        using var bob = new BrowserSession(factory);
        (await bob.LoginAsync("bob", "bob-dev-password")).Dispose();
        var bobsToken = await bob.FormTokenAsync("/profile");
        using var alice = new BrowserSession(factory);
        (await alice.LoginAsync("alice", "alice-dev-password")).Dispose();
        alice.SetCookie(".AspNetCore.Antiforgery.x", "junk");

        using var response = await alice.PostFormAsync("/logout", [new("__RequestVerificationToken", bobsToken)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_cross_site_cookie_request_to_the_API_is_refused_but_a_Bearer_header_request_is_exempt()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();
        var access = browser.Cookie(BrowserSession.AccessCookie)!;

        using var cookieOnly = await browser.SendAsync(Post("/api/auth/logout", r => Foreign(r, "cross-site", "http://localhost:9999")));
        using var me = await browser.GetAsync("/api/me");
        using var withHeader = await browser.SendAsync(Post("/api/auth/logout", r =>
        {
            Foreign(r, "cross-site", "http://localhost:9999");
            r.Headers.Authorization = new("Bearer", access);
        }));

        await AssertRefusedAsync(cookieOnly);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, withHeader.StatusCode);
    }

    [Fact]
    public async Task Another_schemes_Authorization_header_does_not_exempt_a_cookie_request()
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var response = await browser.SendAsync(Post("/api/auth/logout", r =>
        {
            Foreign(r, "cross-site", null);
            r.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        }));

        await AssertRefusedAsync(response);
    }

    [Theory]
    [InlineData("BearerX y")]
    [InlineData("Bearer\ty")]
    [InlineData("Bearerx")]
    public async Task An_Authorization_header_the_handler_does_not_take_as_Bearer_does_not_exempt_a_cookie_request(string authorization)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        // Straight to the test server: HttpClient would rewrite "Bearer\ty" as "Bearer y". The handler treats these
        // headers as another scheme and authenticates by the cookie, so the guard must judge the request.
        var response = await factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/api/auth/logout";
            context.Request.Headers.Cookie = BrowserSession.AccessCookie + "=" + browser.Cookie(BrowserSession.AccessCookie);
            context.Request.Headers.Authorization = authorization;
            context.Request.Headers["Sec-Fetch-Site"] = "cross-site";
        }, SampleApi.Cancellation);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Response.StatusCode);
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task Every_state_changing_method_from_another_site_is_refused_and_from_this_origin_passes(string method)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var foreign = await browser.SendAsync(Send(method, "/api/auth/logout", r => Foreign(r, "cross-site", "http://localhost:9999")));
        using var own = await browser.SendAsync(Send(method, "/api/me", r => Foreign(r, "same-origin", null)));

        await AssertRefusedAsync(foreign);
        // Past the guard: /api/me answers GET only, so this origin's request gets the routing answer, not the guard's 403.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, own.StatusCode);
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Theory]
    [InlineData("GET", HttpStatusCode.OK)]
    [InlineData("HEAD", HttpStatusCode.MethodNotAllowed)] // past the guard: /api/me maps GET alone
    public async Task A_cross_site_safe_method_outside_the_refresh_path_passes_the_guard(string method, HttpStatusCode expected)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var response = await browser.SendAsync(Send(method, "/api/me", r => Foreign(r, "cross-site", "http://localhost:9999")));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("same-origin", "same-origin")]
    [InlineData("same-origin", "cross-site")]
    [InlineData("Same-Origin", null)]
    [InlineData("SAME-ORIGIN", null)]
    [InlineData("None", null)]
    [InlineData(" same-origin", null)]
    [InlineData("same-origin, same-origin", null)]
    public async Task A_Sec_Fetch_Site_sent_twice_or_not_exactly_as_browsers_send_it_is_refused(string first, string? second)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        var response = await factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/api/auth/logout";
            context.Request.Headers.Cookie = BrowserSession.AccessCookie + "=" + browser.Cookie(BrowserSession.AccessCookie);
            context.Request.Headers["Sec-Fetch-Site"] = second is null ? first : new StringValues([first, second]);
        }, SampleApi.Cancellation);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Response.StatusCode);
        using var me = await browser.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_refused_path_is_logged_percent_encoded_and_cannot_forge_a_log_line()
    {
        var logs = new CapturedLogs();
        await using var host = factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));

        var response = await host.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Post;
            context.Request.Path = "/api/x\r\nwarn: forged\u001b[0m";
            context.Request.Headers["Sec-Fetch-Site"] = "cross-site";
        }, SampleApi.Cancellation);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Response.StatusCode);
        var line = Assert.Single(logs.Messages, m => m.StartsWith("Refused a cross-site", StringComparison.Ordinal));
        Assert.Equal("Refused a cross-site POST /api/x%0D%0Awarn:%20forged%1B%5B0m", line);
    }

    [Theory]
    [InlineData("http://localhost:9999")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task A_WebSocket_upgrade_carrying_the_cookie_from_another_origin_is_refused(string? origin)
    {
        using var browser = new BrowserSession(factory);
        (await browser.LoginAsync("alice", "alice-dev-password")).Dispose();

        using var response = await browser.GetAsync("/hub", r => Upgrade(r, origin));

        await AssertRefusedAsync(response);
    }

    [Fact]
    public async Task A_WebSocket_upgrade_from_this_origin_or_without_the_cookie_passes_the_guard()
    {
        using var signedIn = new BrowserSession(factory);
        (await signedIn.LoginAsync("alice", "alice-dev-password")).Dispose();
        using var anonymous = new BrowserSession(factory);

        using var own = await signedIn.GetAsync("/hub", r => Upgrade(r, "http://localhost"));
        using var noCookie = await anonymous.GetAsync("/hub", r => Upgrade(r, "http://localhost:9999"));

        // Past the guard: the sample has no hub, so the answer is the 404 page, not the guard's 403.
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noCookie.StatusCode);
    }

    private static void Foreign(HttpRequestMessage request, string? fetchSite, string? origin)
    {
        request.Headers.Remove("Sec-Fetch-Site");
        if (fetchSite is not null)
        {
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", fetchSite);
        }

        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
    }

    private static void Upgrade(HttpRequestMessage request, string? origin)
    {
        request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
        request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        if (origin is not null)
        {
            request.Headers.TryAddWithoutValidation("Origin", origin);
        }
    }

    private static HttpRequestMessage Send(string method, string path, Action<HttpRequestMessage> edit)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        edit(request);
        return request;
    }

    private static HttpRequestMessage Post(string path, Action<HttpRequestMessage> edit)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        edit(request);
        return request;
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(response);
        Assert.Equal("cross_site_request", body.RootElement.GetProperty("error").GetString());
    }
}

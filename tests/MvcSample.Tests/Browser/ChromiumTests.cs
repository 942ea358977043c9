using System.Globalization;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using MvcSample.Tests.Support;

namespace MvcSample.Tests.Browser;

/// <summary>
/// The browser sign-in end to end in a real, headless Chromium (the system's, never a downloaded one) against the
/// built sample on Kestrel at 127.0.0.1: both users' pages, silent refresh (one tab and two racing), logout and a
/// replayed cookie, the cookies' flags and their absence from <c>document.cookie</c>, cross-site attacks from another
/// site, an off-site <c>returnUrl</c>, and axe-core on every page. Screenshots of the login, profile, admin and 403
/// pages are saved in <c>browser-artifacts/</c> of the test output folder (their paths are printed).
/// </summary>
public sealed partial class ChromiumTests(SampleInChromium sample) : IClassFixture<SampleInChromium>
{
    [Fact]
    public async Task Alice_signs_in_through_the_form_and_sees_her_profile_and_the_admin_page()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/profile");
        Assert.Equal(sample.BaseUrl + "/login?returnUrl=%2Fprofile", page.Url);
        await AssertAccessibleAsync(page, "login");
        await ScreenshotAsync(page, "login");
        await SignInAsync(page, "alice", "alice-dev-password");

        Assert.Equal(sample.BaseUrl + "/profile", page.Url);
        Assert.Equal("alice", await page.Locator("#profile-name").InnerTextAsync());
        Assert.Equal("admin, user", await page.Locator("#profile-roles").InnerTextAsync());
        Assert.Equal(Claim(await AccessCookieAsync(context), "sid"), await page.Locator("#profile-session").InnerTextAsync());
        await AssertAccessibleAsync(page, "profile");
        await ScreenshotAsync(page, "profile");

        var admin = await page.GotoAsync("/admin");
        Assert.Equal(200, admin!.Status);
        Assert.Equal("Administration", await page.Locator("h1").InnerTextAsync());
        await AssertAccessibleAsync(page, "admin");
        await ScreenshotAsync(page, "admin");

        await page.GotoAsync("/");
        Assert.Contains("Signed in as alice", await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        await AssertAccessibleAsync(page, "home, signed in");
    }

    [Fact]
    public async Task Bob_signs_in_and_gets_the_403_page_on_admin()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await AssertAccessibleAsync(page, "home");
        await page.GotoAsync("/login");
        await SignInAsync(page, "bob", "bob-dev-password");
        Assert.Equal("user", await page.Locator("#profile-roles").InnerTextAsync());

        var admin = await page.GotoAsync("/admin");

        Assert.Equal(403, admin!.Status);
        Assert.Equal(sample.BaseUrl + "/admin", page.Url);
        Assert.Equal("You are not allowed to see this page", await page.Locator("h1").InnerTextAsync());
        await AssertAccessibleAsync(page, "403");
        await ScreenshotAsync(page, "forbidden-403");
    }

    [Fact]
    public async Task A_wrong_password_shows_an_accessible_error_and_no_cookie()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");

        await SignInAsync(page, "alice", "not-her-password");

        Assert.Equal("Error: The username or password is incorrect.", await page.GetByRole(AriaRole.Alert).InnerTextAsync());
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.Contains("token", StringComparison.Ordinal));
        await AssertAccessibleAsync(page, "login error");
    }

    [Fact]
    public async Task An_unknown_address_is_an_accessible_404_page_and_an_unknown_API_address_is_not_a_page()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing!.Status);
        Assert.Equal("Error 404", await page.Locator("h1").InnerTextAsync());
        await AssertAccessibleAsync(page, "404");
        var api = await context.APIRequest.GetAsync(sample.BaseUrl + "/api/no-such-endpoint");

        Assert.Equal(404, api.Status);
        Assert.Equal(string.Empty, await api.TextAsync());
    }

    [Fact]
    public async Task The_token_cookies_are_HttpOnly_Secure_Strict_and_invisible_to_script()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await SignInAsync(page, "alice", "alice-dev-password");

        var script = await page.EvaluateAsync<string>("document.cookie");
        var cookies = await context.CookiesAsync();

        var access = Assert.Single(cookies, c => c.Name == "__Host-access_token");
        var refresh = Assert.Single(cookies, c => c.Name == "__Secure-refresh_token");
        Assert.DoesNotContain("token", script, StringComparison.Ordinal);
        Assert.DoesNotContain(access.Value, script, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh.Value, script, StringComparison.Ordinal);
        Assert.True(access.HttpOnly && access.Secure);
        Assert.Equal(SameSiteAttribute.Strict, access.SameSite);
        Assert.Equal("/", access.Path);
        Assert.Equal("127.0.0.1", access.Domain);
        Assert.True(refresh.HttpOnly && refresh.Secure);
        Assert.Equal(SameSiteAttribute.Strict, refresh.SameSite);
        Assert.Equal("/auth/refresh", refresh.Path);
    }

    [Fact]
    public async Task An_expiring_token_is_refreshed_silently_on_the_next_page_load()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await SignInAsync(page, "alice", "alice-dev-password");
        var first = await AccessCookieAsync(context);
        var refreshes = new List<string>();
        page.Request += (_, request) => refreshes.Add(request.Url);

        await WaitUntilDueAsync(first);
        await page.ReloadAsync();

        Assert.Equal(sample.BaseUrl + "/profile", page.Url);
        Assert.Equal("alice", await page.Locator("#profile-name").InnerTextAsync());
        Assert.Contains(refreshes, url => url.StartsWith(sample.BaseUrl + "/auth/refresh?returnUrl=%2Fprofile", StringComparison.Ordinal));
        var second = await AccessCookieAsync(context);
        Assert.NotEqual(first, second);
        Assert.Equal(Claim(first, "sid"), Claim(second, "sid"));
    }

    [Fact]
    public async Task Two_tabs_racing_a_refresh_both_stay_signed_in()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var first = await context.NewPageAsync();
        await first.GotoAsync("/login");
        await SignInAsync(first, "alice", "alice-dev-password");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/profile");
        var token = await AccessCookieAsync(context);

        await WaitUntilDueAsync(token);
        await Task.WhenAll(first.ReloadAsync(), second.ReloadAsync());

        Assert.Equal(sample.BaseUrl + "/profile", first.Url);
        Assert.Equal(sample.BaseUrl + "/profile", second.Url);
        Assert.Equal("alice", await first.Locator("#profile-name").InnerTextAsync());
        Assert.Equal("alice", await second.Locator("#profile-name").InnerTextAsync());
        await first.ReloadAsync();
        Assert.Equal(sample.BaseUrl + "/profile", first.Url);
        Assert.NotEqual(token, await AccessCookieAsync(context));
    }

    [Fact]
    public async Task Logout_clears_the_cookies_and_the_old_cookie_replayed_in_a_new_context_is_401_token_revoked()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await SignInAsync(page, "alice", "alice-dev-password");
        var old = await AccessCookieAsync(context);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(sample.BaseUrl + "/");

        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name.Contains("token", StringComparison.Ordinal));
        await using var replay = await sample.NewContextAsync();
        await replay.AddCookiesAsync([new Cookie { Name = "__Host-access_token", Value = old, Domain = "127.0.0.1", Path = "/", Secure = true, HttpOnly = true, SameSite = SameSiteAttribute.Strict }]);
        var replayPage = await replay.NewPageAsync();
        var api = await replayPage.GotoAsync("/api/me");
        Assert.Equal(401, api!.Status);
        Assert.Contains("reason=\"token_revoked\"", await api.HeaderValueAsync("www-authenticate"), StringComparison.Ordinal);
        await replayPage.GotoAsync("/profile");
        Assert.Equal(sample.BaseUrl + "/login?returnUrl=%2Fprofile", replayPage.Url);
    }

    [Fact]
    public async Task A_form_auto_submitted_or_a_fetch_from_another_site_is_refused_and_the_session_lives()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await SignInAsync(page, "alice", "alice-dev-password");
        // Even a valid antiforgery token (as if it had leaked) does not get a cross-site post through.
        var antiforgery = await page.Locator("form.signed-in input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        await using var evil = await OtherSite.StartAsync(new Dictionary<string, string>
        {
            ["/form"] = $$"""
                <!DOCTYPE html><html lang="en"><title>win a prize</title><body>
                <form id="f" method="post" action="{{sample.BaseUrl}}/logout"><input type="hidden" name="__RequestVerificationToken" value="{{antiforgery}}"></form>
                <script>document.getElementById('f').submit();</script></body></html>
                """,
            ["/fetch"] = $$"""
                <!DOCTYPE html><html lang="en"><title>win a prize</title><body><script>
                fetch('{{sample.BaseUrl}}/api/auth/logout', { method: 'POST', credentials: 'include', mode: 'no-cors' });
                fetch('{{sample.BaseUrl}}/logout', { method: 'POST', credentials: 'include', mode: 'no-cors', body: new URLSearchParams({ __RequestVerificationToken: '{{antiforgery}}' }) });
                </script></body></html>
                """,
        });
        var attack = await context.NewPageAsync();

        var submitted = attack.WaitForResponseAsync(r => r.Url == sample.BaseUrl + "/logout");
        await attack.GotoAsync(evil.Origin + "/form");
        var formAnswer = await submitted;
        var fetched = new List<IResponse>();
        attack.Response += (_, r) => { if (r.Url.StartsWith(sample.BaseUrl, StringComparison.Ordinal)) { fetched.Add(r); } };
        var apiAnswer = attack.WaitForResponseAsync(r => r.Url == sample.BaseUrl + "/api/auth/logout");
        var logoutAnswer = attack.WaitForResponseAsync(r => r.Url == sample.BaseUrl + "/logout");
        await attack.GotoAsync(evil.Origin + "/fetch");

        Assert.Equal(403, formAnswer.Status);
        Assert.Equal(403, (await apiAnswer).Status);
        Assert.Equal(403, (await logoutAnswer).Status);
        var profile = await page.GotoAsync("/profile");
        Assert.Equal(200, profile!.Status);
        Assert.Equal(sample.BaseUrl + "/profile", page.Url);
        Assert.Equal("alice", await page.Locator("#profile-name").InnerTextAsync());
    }

    [Fact]
    public async Task An_off_site_returnUrl_does_not_leave_the_site()
    {
        sample.Require();
        await using var context = await sample.NewContextAsync();
        var page = await context.NewPageAsync();
        var left = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(sample.BaseUrl, StringComparison.Ordinal))
            {
                left.Add(request.Url);
            }
        };

        await page.GotoAsync("/login?returnUrl=" + Uri.EscapeDataString("https://evil.example"));
        await SignInAsync(page, "alice", "alice-dev-password");

        Assert.Equal(sample.BaseUrl + "/profile", page.Url);
        Assert.Empty(left);
    }

    private static async Task SignInAsync(IPage page, string userName, string password)
    {
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/login");
        if (answer.Status == 302 && await answer.HeaderValueAsync("location") is { } location)
        {
            await page.WaitForURLAsync(new Uri(new Uri(page.Url), location).ToString());
        }

        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    private static async Task<string> AccessCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).Single(c => c.Name == "__Host-access_token").Value;

    /// <summary>Waits until the token is in its last quarter (what the sample refreshes), measured from its own iat and exp.</summary>
    private static async Task WaitUntilDueAsync(string accessToken)
    {
        var issued = long.Parse(Claim(accessToken, "iat"), CultureInfo.InvariantCulture);
        var expires = long.Parse(Claim(accessToken, "exp"), CultureInfo.InvariantCulture);
        var due = DateTimeOffset.FromUnixTimeSeconds(expires) - TimeSpan.FromSeconds((expires - issued) / 4.0) + TimeSpan.FromMilliseconds(200);
        var wait = due - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, SampleApi.Cancellation);
        }
    }

    private static string Claim(string accessToken, string name)
    {
        using var payload = SampleApi.DecodeSegment(accessToken, 1);
        return payload.RootElement.GetProperty(name).ToString();
    }

    private static async Task AssertAccessibleAsync(IPage page, string name)
    {
        var result = await page.RunAxe();
        Assert.True(
            result.Violations.Length == 0,
            $"axe-core found violations on the {name} page ({page.Url}): "
                + string.Join("; ", result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(SampleInChromium.ArtifactsFolder, SafeName().Replace(name, "-") + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Console.WriteLine($"screenshot: {path}");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        TestContext.Current.SendDiagnosticMessage($"screenshot: {path}");
    }

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex SafeName();
}

using System.Net;
using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// The cookie token source (<see cref="BearerJwtOptions.TokenCookieName"/>) under attack: precedence against the
/// <c>Authorization</c> header (the header wins and the cookie is not read), and cookies that are malformed,
/// oversized, expired, repeated or misnamed.
/// </summary>
public sealed class CookieTokenTests
{
    private const string CookieName = "__Host-access";

    private const string MultipleChallenge =
        "Bearer error=\"invalid_request\", error_description=\"More than one access token was presented.\", reason=\"token_multiple\"";

    private static readonly string HeaderToken = PipelineHost.Token("\"name\":\"from-header\"");
    private static readonly string CookieToken = PipelineHost.Token("\"name\":\"from-cookie\"");

    [Fact]
    public async Task A_valid_cookie_alone_authenticates()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: WithCookie(CookieToken));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-cookie", NameIn(response));
    }

    [Fact]
    public async Task The_Authorization_header_wins_over_a_valid_cookie()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", HeaderToken, WithCookie(CookieToken));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-header", NameIn(response));
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("Bearer%20x")]
    public async Task With_a_header_token_a_malformed_cookie_is_not_read(string cookie)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", HeaderToken, WithCookie(cookie));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-header", NameIn(response));
    }

    [Fact]
    public async Task A_bad_header_token_is_refused_and_never_replaced_by_a_valid_cookie()
    {
        await using var host = await StartAsync();
        var expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

        var response = await host.GetAsync("/whoami", expired, WithCookie(CookieToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("reason=\"token_expired\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_Bearer_header_beside_a_valid_cookie_is_token_empty()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer ");
            request.Headers.Add("Cookie", CookieName + "=" + CookieToken);
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("reason=\"token_empty\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_schemes_Authorization_header_does_not_hide_the_cookie()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
            request.Headers.Add("Cookie", CookieName + "=" + CookieToken);
        });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-cookie", NameIn(response));
    }

    [Theory]
    [InlineData("not-a-jwt", "token_malformed")]
    [InlineData("a.b.c", "token_malformed")]
    [InlineData("Bearer%20eyJhbGciOiJIUzI1NiJ9.e30.x", "token_malformed")]
    [InlineData("%22eyJ%22", "token_malformed")]
    public async Task A_malformed_cookie_is_refused_with_its_reason(string cookie, string reason)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: WithCookie(cookie));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains($"reason=\"{reason}\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_over_MaxTokenSize_is_token_too_large()
    {
        await using var host = await StartAsync(o => o.MaxTokenSize = 1024);
        var oversized = PipelineHost.Token("\"pad\":\"" + new string('a', 2048) + "\"");

        var response = await host.GetAsync("/whoami", edit: WithCookie(oversized));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("reason=\"token_too_large\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_cookie_is_token_expired()
    {
        await using var host = await StartAsync();
        var expired = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-1)));

        var response = await host.GetAsync("/whoami", edit: WithCookie(expired));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("reason=\"token_expired\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("; ")]
    [InlineData(";")]
    public async Task The_cookie_name_twice_is_token_multiple_even_when_both_are_valid(string separator)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
            request.Headers.Add("Cookie", $"{CookieName}={CookieToken}{separator}other=1{separator}{CookieName}={HeaderToken}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task The_cookie_name_twice_in_two_Cookie_headers_is_token_multiple()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
        {
            request.Headers.TryAddWithoutValidation("Cookie", CookieName + "=" + CookieToken);
            request.Headers.TryAddWithoutValidation("Cookie", CookieName + "=" + CookieToken);
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Theory]
    [InlineData("__HOST-access")]
    [InlineData("__host-access")]
    [InlineData("__Host-ACCESS")]
    public async Task A_name_differing_only_in_case_beside_the_real_cookie_is_token_multiple(string variant)
    {
        await using var host = await StartAsync();

        // ASP.NET Core's cookie collection ignores case and keeps the last: the variant's token would be the one read.
        var response = await host.GetAsync("/whoami", edit: request =>
            request.Headers.Add("Cookie", $"{CookieName}={CookieToken}; {variant}={HeaderToken}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_name_differing_only_in_case_in_a_second_Cookie_header_is_token_multiple()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
        {
            request.Headers.TryAddWithoutValidation("Cookie", CookieName + "=" + CookieToken);
            request.Headers.TryAddWithoutValidation("Cookie", "__HOST-access=" + HeaderToken);
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Theory]
    [InlineData("__host-access")]
    [InlineData("__Host-access2")]
    [InlineData("x__Host-access")]
    [InlineData("__Host-acces")]
    public async Task A_cookie_whose_name_differs_in_any_way_is_not_read(string name)
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request => request.Headers.Add("Cookie", name + "=" + CookieToken));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task A_lookalike_cookie_beside_the_real_one_does_not_count_as_a_second()
    {
        await using var host = await StartAsync();

        var response = await host.GetAsync("/whoami", edit: request =>
            request.Headers.Add("Cookie", $"x{CookieName}=junk; {CookieName}={CookieToken}; {CookieName}x=junk"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("from-cookie", NameIn(response));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_in_the_cookie_is_signature_invalid()
    {
        await using var host = await StartAsync();
        var forged = TestJwt.Hs(new byte[32], TestJwt.Payload(PipelineHost.Now));

        var response = await host.GetAsync("/whoami", edit: WithCookie(forged));

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains("reason=\"signature_invalid\"", response.WwwAuthenticate, StringComparison.Ordinal);
    }

    private static Task<PipelineHost> StartAsync(Action<BearerJwtOptions>? configure = null) =>
        PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.TokenCookieName = CookieName;
            configure?.Invoke(o);
        });

    private static Action<HttpRequestMessage> WithCookie(string value) =>
        request => request.Headers.Add("Cookie", CookieName + "=" + value);

    private static string? NameIn(PipelineResponse response)
    {
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("name").GetString();
    }
}

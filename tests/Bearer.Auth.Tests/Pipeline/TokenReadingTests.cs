using System.Net;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>Where the handler finds the token (RFC 6750 §2) and how it refuses ambiguous requests.</summary>
public sealed class TokenReadingTests
{
    private const string EmptyChallenge =
        "Bearer error=\"invalid_request\", error_description=\"The Bearer credentials are empty.\", reason=\"token_empty\"";

    private const string MultipleChallenge =
        "Bearer error=\"invalid_request\", error_description=\"More than one access token was presented.\", reason=\"token_multiple\"";

    private const string DuplicateChallenge =
        "Bearer error=\"invalid_request\", error_description=\"The request has more than one Authorization header.\", reason=\"header_duplicate\"";

    private static readonly string Valid = PipelineHost.Token();

    public static TheoryData<string> AcceptedHeaders { get; } = new()
    {
        "Bearer " + Valid,
        "bearer " + Valid,
        "BEARER " + Valid,
        "bEaReR " + Valid,
        "Bearer    " + Valid,
        "Bearer " + Valid + "   ",
    };

    [Theory]
    [MemberData(nameof(AcceptedHeaders))]
    public async Task Scheme_is_case_insensitive_and_extra_spaces_are_tolerated(string authorization)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetWithAuthorizationAsync("/protected", authorization);

        Assert.True(response.WwwAuthenticate is null, response.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("ok", response.Body);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer   ")]
    [InlineData("bearer")]
    public async Task Bearer_without_a_token_is_token_empty(string authorization)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetWithAuthorizationAsync("/protected", authorization);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(EmptyChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task Two_Authorization_headers_are_header_duplicate_even_when_one_is_another_scheme()
    {
        await using var host = await PipelineHost.StartAsync();

        var twoBearer = await host.GetWithAuthorizationAsync("/protected", "Bearer " + Valid, "Bearer " + Valid);
        var bearerAndBasic = await host.GetWithAuthorizationAsync("/protected", "Basic dXNlcjpwYXNz", "Bearer " + Valid);

        Assert.Equal(HttpStatusCode.BadRequest, twoBearer.Status);
        Assert.Equal(DuplicateChallenge, twoBearer.WwwAuthenticate);
        Assert.Equal(DuplicateChallenge, bearerAndBasic.WwwAuthenticate);
    }

    public static TheoryData<string> SecondCredentials { get; } = new()
    {
        "Bearer a b",
        "Bearer " + Valid + " " + Valid,
        "Bearer " + Valid + ", Basic dXNlcjpwYXNz",
        "Bearer " + Valid + ",",
        "Bearer " + Valid + " realm=\"x\"",
    };

    [Theory]
    [MemberData(nameof(SecondCredentials))]
    public async Task A_second_credential_or_auth_param_is_token_multiple(string authorization)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetWithAuthorizationAsync("/protected", authorization);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Negotiate abc")]
    [InlineData("BearerX abc")]
    [InlineData("Bearer_abc")]
    [InlineData("DPoP abc")]
    public async Task Another_scheme_is_not_ours_and_gets_the_bare_challenge(string authorization)
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetWithAuthorizationAsync("/protected", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Cookie_is_read_only_when_TokenCookieName_opts_in()
    {
        await using var off = await PipelineHost.StartAsync();
        await using var on = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.TokenCookieName = "access";
        });

        var ignored = await off.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "access=" + Valid));
        var accepted = await on.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "access=" + Valid));
        var otherCookie = await on.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "session=" + Valid));

        Assert.Equal(HttpStatusCode.Unauthorized, ignored.Status);
        Assert.Equal("Bearer", ignored.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal("Bearer", otherCookie.WwwAuthenticate);
    }

    [Fact]
    public async Task Empty_cookie_is_no_token()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.TokenCookieName = "access";
        });

        var response = await host.GetAsync("/protected", edit: r => r.Headers.Add("Cookie", "access="));

        // ASP.NET Core's cookie parser drops a cookie with an empty value: there is nothing to refuse.
        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Query_token_is_read_only_on_QueryTokenPaths()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var onHub = await host.GetAsync("/hub/connect?access_token=" + Valid);
        var elsewhere = await host.GetAsync("/protected?access_token=" + Valid);

        Assert.Equal(HttpStatusCode.OK, onHub.Status);
        Assert.Equal("hub", onHub.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.Status);
        Assert.Equal("Bearer", elsewhere.WwwAuthenticate);
    }

    [Fact]
    public async Task Query_token_elsewhere_is_ignored_even_beside_a_header_token()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync("/protected?access_token=" + Valid, Valid);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Query_token_path_is_a_segment_prefix_not_a_string_prefix()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hu");
        });

        var response = await host.GetAsync("/hub/connect?access_token=" + Valid);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Query_token_is_off_by_default()
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/hub/connect?access_token=" + Valid);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }

    [Fact]
    public async Task Custom_QueryTokenParameter_is_used_instead_of_access_token()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
            o.QueryTokenParameter = "t";
        });

        var custom = await host.GetAsync("/hub/connect?t=" + Valid);
        var standard = await host.GetAsync("/hub/connect?access_token=" + Valid);

        Assert.Equal(HttpStatusCode.OK, custom.Status);
        Assert.Equal("Bearer", standard.WwwAuthenticate);
    }

    [Fact]
    public async Task Repeated_query_parameter_is_token_multiple()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync($"/hub/connect?access_token={Valid}&access_token={Valid}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task Query_and_header_together_are_token_multiple()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync("/hub/connect?access_token=" + Valid, Valid);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task Query_and_cookie_together_are_token_multiple()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.TokenCookieName = "access";
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync("/hub/connect?access_token=" + Valid, edit: r => r.Headers.Add("Cookie", "access=" + Valid));

        Assert.Equal(MultipleChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task Empty_query_parameter_is_token_empty()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync("/hub/connect?access_token=");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(EmptyChallenge, response.WwwAuthenticate);
    }

    [Fact]
    public async Task Another_scheme_in_the_header_does_not_block_the_query_token()
    {
        await using var host = await PipelineHost.StartWithDefaultsAsync(o =>
        {
            o.QueryTokenPaths.Add("/hub");
        });

        var response = await host.GetAsync(
            "/hub/connect?access_token=" + Valid,
            edit: r => r.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }
}

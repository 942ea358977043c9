using System.Net;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// The whole pipeline on its happy and most common paths: a valid token reaches a protected endpoint, a role policy
/// forbids with <c>insufficient_scope</c>, an expired token gets its fixed 401 challenge, and no token gets a bare one.
/// </summary>
public sealed class PipelineSmokeTests
{
    [Fact]
    public async Task Valid_token_reaches_protected_endpoint_and_admin_role_is_enforced()
    {
        await using var host = await PipelineHost.StartAsync();
        var admin = PipelineHost.Token("\"roles\":[\"admin\",\"user\"]");
        var user = PipelineHost.Token("\"role\":\"user\"");

        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", user)).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/admin", admin)).Status);
        var forbidden = await host.GetAsync("/admin", user);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal("Bearer error=\"insufficient_scope\"", forbidden.WwwAuthenticate);
    }

    [Fact]
    public async Task Expired_token_gets_401_with_fixed_description_and_reason()
    {
        await using var host = await PipelineHost.StartAsync();
        var token = TestJwt.Hs(PipelineHost.Key, TestJwt.Payload(PipelineHost.Now.AddHours(-2)));

        var response = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"",
            response.WwwAuthenticate);
        Assert.Equal("no-store", response.CacheControl);
    }

    [Fact]
    public async Task No_token_gets_bare_challenge()
    {
        await using var host = await PipelineHost.StartAsync();

        var response = await host.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal("Bearer", response.WwwAuthenticate);
    }
}

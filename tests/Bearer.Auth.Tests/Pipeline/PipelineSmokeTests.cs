using System.Net;
using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Pipeline;

public sealed class PipelineSmokeTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static Task<BearerTestServer> StartAsync() => BearerTestServer.StartAsync(o =>
    {
        o.ValidIssuer = TestJwt.Issuer;
        o.ValidAudience = TestJwt.Audience;
        o.VerificationKeys.Add(VerificationKey.Symmetric(Key));
    });

    [Fact]
    public async Task Valid_token_reaches_protected_endpoint_and_admin_role_is_enforced()
    {
        await using var server = await StartAsync();
        var now = DateTimeOffset.UtcNow;
        var admin = TestJwt.Hs(Key, TestJwt.Payload(now, "\"roles\":[\"admin\",\"user\"]"));
        var user = TestJwt.Hs(Key, TestJwt.Payload(now, "\"role\":\"user\""));

        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/protected", user)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.GetAsync("/admin", admin)).StatusCode);
        var forbidden = await server.GetAsync("/admin", user);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\"", BearerTestServer.Challenge(forbidden));
    }

    [Fact]
    public async Task Expired_token_gets_401_with_fixed_description_and_reason()
    {
        await using var server = await StartAsync();
        var token = TestJwt.Hs(Key, TestJwt.Payload(DateTimeOffset.UtcNow.AddHours(-2)));

        var response = await server.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(
            "Bearer error=\"invalid_token\", error_description=\"The token has expired.\", reason=\"token_expired\"",
            BearerTestServer.Challenge(response));
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task No_token_gets_bare_challenge()
    {
        await using var server = await StartAsync();

        var response = await server.GetAsync("/protected");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", BearerTestServer.Challenge(response));
    }
}

using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

public sealed class ProtectedEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Me_with_a_sample_token_returns_name_roles_and_claims()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var response = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(response);
        var me = body.RootElement;
        Assert.Equal("alice", me.GetProperty("name").GetString());
        Assert.Equal(["admin", "user"], SampleApi.Roles(me));
        var claims = me.GetProperty("claims").EnumerateArray()
            .Select(c => (c.GetProperty("type").GetString(), c.GetProperty("value").GetString()))
            .ToList();
        Assert.Contains(("sub", "alice"), claims);
        Assert.Contains(("iss", SampleApi.Issuer), claims);
        Assert.Contains(("aud", SampleApi.Audience), claims);
        Assert.Contains(("role", "admin"), claims);
        Assert.Contains(("role", "user"), claims);
    }

    [Fact]
    public async Task Me_without_a_token_is_401_with_a_bearer_challenge()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.GetAsync(client, "/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response);
    }

    [Fact]
    public async Task Me_with_a_tampered_token_is_401_with_invalid_token()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");
        var parts = token.Split('.');
        var promoted = TamperedPayload(parts[1]);

        using var response = await SampleApi.GetAsync(client, "/api/me", $"{parts[0]}.{promoted}.{parts[2]}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task Admin_is_allowed_for_alice()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var response = await SampleApi.GetAsync(client, "/api/admin", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(response);
        Assert.Equal("alice", body.RootElement.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Admin_is_forbidden_for_bob_who_is_only_a_user()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");

        using var response = await SampleApi.GetAsync(client, "/api/admin", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Admin_without_a_token_is_401()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.GetAsync(client, "/api/admin");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // Bob's payload with his roles replaced by admin, keeping the original signature.
    private static string TamperedPayload(string payloadSegment)
    {
        var json = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payloadSegment));
        var forged = json.Replace("\"role\":[\"user\"]", "\"role\":[\"admin\"]", StringComparison.Ordinal);
        Assert.NotEqual(json, forged);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(forged));
    }
}

using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>Tokens from <c>dotnet user-jwts</c>, configured the way the tool configures the sample.</summary>
public sealed class UserJwtsTokenTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private const string LaunchUrl = "http://localhost:5080";

    // One launch URL gives a string aud; several (e.g. https and http profiles) give an array.
    [Theory]
    [InlineData(LaunchUrl)]
    [InlineData("https://localhost:7080 " + LaunchUrl)]
    public async Task User_jwts_token_reaches_me_and_admin_while_sample_tokens_still_work(string launchUrls)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        await using var configured = ConfiguredSample.With(factory, UserJwtsSettings(key));
        using var client = configured.CreateClient();
        var userJwtsToken = TestTokens.UserJwts(key, "carol", launchUrls.Split(' '), role: "admin");

        using var me = await SampleApi.GetAsync(client, "/api/me", userJwtsToken);
        using var admin = await SampleApi.GetAsync(client, "/api/admin", userJwtsToken);
        var sampleToken = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");
        using var sampleMe = await SampleApi.GetAsync(client, "/api/me", sampleToken);
        using var sampleAdmin = await SampleApi.GetAsync(client, "/api/admin", sampleToken);

        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(me);
        Assert.Equal("carol", body.RootElement.GetProperty("name").GetString());
        Assert.Equal(["admin"], SampleApi.Roles(body.RootElement));
        Assert.Contains(body.RootElement.GetProperty("claims").EnumerateArray(), c => c.GetProperty("type").GetString() == "scope" && c.GetProperty("value").GetString() == "api.read");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sampleMe.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sampleAdmin.StatusCode);
    }

    [Fact]
    public async Task User_jwts_token_signed_with_another_key_is_refused()
    {
        await using var configured = ConfiguredSample.With(factory, UserJwtsSettings(RandomNumberGenerator.GetBytes(32)));
        using var client = configured.CreateClient();
        var forged = TestTokens.UserJwts(RandomNumberGenerator.GetBytes(32), "carol", [LaunchUrl], role: "admin");

        using var response = await SampleApi.GetAsync(client, "/api/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task User_jwts_token_is_refused_when_the_tool_is_not_configured()
    {
        using var client = factory.CreateClient();
        var token = TestTokens.UserJwts(RandomNumberGenerator.GetBytes(32), "carol", [LaunchUrl], role: "admin");

        using var response = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    // What `dotnet user-jwts create` writes: the key into user secrets, audiences and issuer into appsettings.Development.json.
    private static Dictionary<string, string?> UserJwtsSettings(byte[] key) => new()
    {
        ["Authentication:Schemes:Bearer:SigningKeys:0:Id"] = "5b1f0c2e",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "dotnet-user-jwts",
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(key),
        ["Authentication:Schemes:Bearer:SigningKeys:0:Length"] = "32",
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = LaunchUrl,
        ["Authentication:Schemes:Bearer:ValidIssuer"] = "dotnet-user-jwts",
    };
}

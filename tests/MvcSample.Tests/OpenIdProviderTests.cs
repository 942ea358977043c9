using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>An OpenID Provider configured through <c>Authentication:Schemes:Bearer:Authority</c>, beside the sample's own issuer.</summary>
public sealed class OpenIdProviderTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>, IDisposable
{
    private const string KeyId = "provider-key-1";

    private readonly RSA _providerKey = RSA.Create(2048);

    [Fact]
    public async Task Provider_tokens_are_accepted_alongside_the_sample_issuer()
    {
        await using var provider = await LoopbackProvider.StartAsync(TestTokens.RsaJwks(_providerKey, KeyId));
        await using var configured = ConfiguredSample.With(factory, new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = provider.Authority,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
        });
        using var client = configured.CreateClient();
        var providerToken = TestTokens.Rs256(_providerKey, KeyId, provider.Authority, SampleApi.Audience, subject: "erin");
        var sampleToken = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var fromProvider = await SampleApi.GetAsync(client, "/api/me", providerToken);
        using var fromSample = await SampleApi.GetAsync(client, "/api/admin", sampleToken);

        Assert.Equal(HttpStatusCode.OK, fromProvider.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(fromProvider);
        Assert.Equal("erin", body.RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, fromSample.StatusCode);
    }

    [Fact]
    public async Task Provider_key_cannot_sign_as_the_sample_issuer()
    {
        await using var provider = await LoopbackProvider.StartAsync(TestTokens.RsaJwks(_providerKey, KeyId));
        await using var configured = ConfiguredSample.With(factory, new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = provider.Authority,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
        });
        using var client = configured.CreateClient();
        var forged = TestTokens.Rs256(_providerKey, KeyId, SampleApi.Issuer, SampleApi.Audience, subject: "mallory");

        using var response = await SampleApi.GetAsync(client, "/api/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response, "invalid_token");
    }

    public void Dispose() => _providerKey.Dispose();
}

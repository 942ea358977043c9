using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>Another issuer's keys configured as a JWKS in <c>Authentication:Schemes:Bearer</c>.</summary>
public sealed class ExternalIssuerTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>, IDisposable
{
    private const string ExternalIssuer = "https://external.example";
    private const string KeyId = "external-key-1";

    private readonly RSA _externalKey = RSA.Create(2048);

    [Fact]
    public async Task External_issuer_is_accepted_alongside_the_sample_issuer()
    {
        await using var configured = ConfiguredSample.With(factory, ExternalIssuerSettings());
        using var client = configured.CreateClient();
        var externalToken = TestTokens.Rs256(_externalKey, KeyId, ExternalIssuer, SampleApi.Audience, subject: "dave");
        var sampleToken = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var external = await SampleApi.GetAsync(client, "/api/me", externalToken);
        using var sample = await SampleApi.GetAsync(client, "/api/admin", sampleToken);

        Assert.Equal(HttpStatusCode.OK, external.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(external);
        Assert.Equal("dave", body.RootElement.GetProperty("name").GetString());
        Assert.Equal(["user"], SampleApi.Roles(body.RootElement));
        Assert.Equal(HttpStatusCode.OK, sample.StatusCode);
    }

    [Fact]
    public async Task Token_from_the_external_key_with_an_unconfigured_issuer_is_refused()
    {
        await using var configured = ConfiguredSample.With(factory, ExternalIssuerSettings());
        using var client = configured.CreateClient();
        var token = TestTokens.Rs256(_externalKey, KeyId, "https://elsewhere.example", SampleApi.Audience, subject: "dave");

        using var response = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task External_key_cannot_sign_tokens_for_the_sample_issuer()
    {
        await using var configured = ConfiguredSample.With(factory, ExternalIssuerSettings());
        using var client = configured.CreateClient();
        var forged = TestTokens.Rs256(_externalKey, KeyId, SampleApi.Issuer, SampleApi.Audience, subject: "mallory");

        using var response = await SampleApi.GetAsync(client, "/api/me", forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response, "invalid_token");
    }

    [Fact]
    public async Task Token_from_the_external_issuer_is_refused_when_it_is_not_configured()
    {
        using var client = factory.CreateClient();
        var token = TestTokens.Rs256(_externalKey, KeyId, ExternalIssuer, SampleApi.Audience, subject: "dave");

        using var response = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public void Dispose() => _externalKey.Dispose();

    private Dictionary<string, string?> ExternalIssuerSettings() => new()
    {
        ["Authentication:Schemes:Bearer:Jwks"] = TestTokens.RsaJwks(_externalKey, KeyId),
        ["Authentication:Schemes:Bearer:ValidIssuers:0"] = ExternalIssuer,
    };
}

using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Bearer.Auth;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

public sealed class JwksEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Jwks_publishes_exactly_the_public_signing_key()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.GetAsync(client, "/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(response);
        Assert.Equal(["keys"], body.RootElement.EnumerateObject().Select(p => p.Name));
        var key = Assert.Single(body.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal(["alg", "crv", "kid", "kty", "use", "x", "y"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(key.TryGetProperty("d", out _));
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("ES256", key.GetProperty("alg").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());

        // The kid is the key's RFC 7638 thumbprint, as an independent implementation computes it.
        var signingKey = factory.Services.GetRequiredService<SigningKeyRing>().GetSigningKey();
        var published = new JsonWebKey(key.GetRawText());
        Assert.Equal(signingKey.KeyId, key.GetProperty("kid").GetString());
        Assert.Equal(Base64UrlEncoder.Encode(published.ComputeJwkThumbprint()), signingKey.KeyId);
    }

    [Fact]
    public async Task Jwks_is_served_without_authentication()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.GetAsync(client, "/.well-known/jwks.json", "not-a-token");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Independent_validator_accepts_a_sample_token_with_the_published_keys()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");
        var jwks = await client.GetStringAsync("/.well-known/jwks.json", SampleApi.Cancellation);

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = SampleApi.Issuer,
            ValidAudience = SampleApi.Audience,
            ValidAlgorithms = ["ES256"],
            ValidTypes = ["at+jwt"],
            IssuerSigningKeys = new Microsoft.IdentityModel.Tokens.JsonWebKeySet(jwks).GetSigningKeys(),
        });

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("bob", result.Claims["sub"]);
    }
}

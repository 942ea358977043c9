using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

public sealed class TokenEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Valid_credentials_return_a_bearer_access_token_with_its_lifetime()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.RequestTokenAsync(client, "alice", "alice-dev-password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = await SampleApi.ReadJsonAsync(response);
        var root = body.RootElement;
        Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.False(string.IsNullOrEmpty(root.GetProperty("access_token").GetString()));
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal(900, root.GetProperty("expires_in").GetInt64());
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Issued_token_carries_the_documented_header_and_claims()
    {
        using var client = factory.CreateClient();

        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        var headerJson = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[0]));
        Assert.Contains("\"typ\":\"at+jwt\"", headerJson, StringComparison.Ordinal);
        using var header = SampleApi.DecodeSegment(token, 0);
        Assert.Equal("ES256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("at+jwt", header.RootElement.GetProperty("typ").GetString());
        using var jwks = await SampleApi.ReadJsonAsync(await SampleApi.GetAsync(client, "/.well-known/jwks.json"));
        Assert.Equal(jwks.RootElement.GetProperty("keys")[0].GetProperty("kid").GetString(), header.RootElement.GetProperty("kid").GetString());

        using var payload = SampleApi.DecodeSegment(token, 1);
        var claims = payload.RootElement;
        Assert.Equal(SampleApi.Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal(SampleApi.Audience, claims.GetProperty("aud").GetString());
        Assert.Equal("alice", claims.GetProperty("sub").GetString());
        Assert.Equal("alice", claims.GetProperty("name").GetString());
        Assert.Equal(["admin", "user"], SampleApi.TokenRoles(claims));
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        var issuedAt = claims.GetProperty("iat").GetInt64();
        Assert.Equal(issuedAt, claims.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt + 900, claims.GetProperty("exp").GetInt64());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("sid").GetString()));
        Assert.Equal("mvcsample", claims.GetProperty("client_id").GetString()); // RFC 9068 §2.2: an at+jwt names its client
    }

    [Fact]
    public async Task Each_token_gets_its_own_jti()
    {
        using var client = factory.CreateClient();

        var first = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");
        var second = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");

        using var firstPayload = SampleApi.DecodeSegment(first, 1);
        using var secondPayload = SampleApi.DecodeSegment(second, 1);
        Assert.NotEqual(firstPayload.RootElement.GetProperty("jti").GetString(), secondPayload.RootElement.GetProperty("jti").GetString());
    }

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("bob", "alice-dev-password")]
    [InlineData("mallory", "alice-dev-password")]
    [InlineData("Alice", "alice-dev-password")]
    public async Task Wrong_password_or_unknown_user_is_401_with_a_json_error(string userName, string password)
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.RequestTokenAsync(client, userName, password);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = await SampleApi.ReadJsonAsync(response);
        Assert.Equal("invalid_credentials", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("The username or password is incorrect.", body.RootElement.GetProperty("error_description").GetString());
        Assert.False(body.RootElement.TryGetProperty("access_token", out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"username":"alice"}""")]
    [InlineData("""{"password":"alice-dev-password"}""")]
    [InlineData("""{"username":"","password":""}""")]
    [InlineData("""{"username":1,"password":2}""")]
    [InlineData("""{"username":"alice","password":"alice-dev-password""")]
    public async Task Malformed_body_is_400(string json)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/auth/token", content, SampleApi.Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Form_post_is_415_not_a_server_error()
    {
        using var client = factory.CreateClient();
        using var content = new FormUrlEncodedContent([new("username", "alice"), new("password", "alice-dev-password")]);

        using var response = await client.PostAsync("/api/auth/token", content, SampleApi.Cancellation);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Overlong_password_is_400_before_any_hashing()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.RequestTokenAsync(client, "alice", new string('x', 10_000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Users_from_configuration_replace_the_development_users()
    {
        await using var configured = ConfiguredSample.With(factory, new()
        {
            ["Sample:Users:carol:Password"] = "carol-password",
            ["Sample:Users:carol:Roles:0"] = "admin",
        });
        using var client = configured.CreateClient();

        var token = await SampleApi.GetTokenAsync(client, "carol", "carol-password");
        using var alice = await SampleApi.RequestTokenAsync(client, "alice", "alice-dev-password");

        using var payload = SampleApi.DecodeSegment(token, 1);
        Assert.Equal(["admin"], SampleApi.TokenRoles(payload.RootElement));
        Assert.Equal(HttpStatusCode.Unauthorized, alice.StatusCode);
        using var admin = await SampleApi.GetAsync(client, "/api/admin", token);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }

    [Fact]
    public async Task Issuer_audience_and_access_token_lifetime_come_from_configuration()
    {
        await using var configured = ConfiguredSample.With(factory, new()
        {
            ["Sample:Issuer"] = "https://sample.example",
            ["Sample:Audience"] = "sample-audience",
            ["Sessions:AccessTokenLifetime"] = "00:05:00",
        });
        using var client = configured.CreateClient();

        using var response = await SampleApi.RequestTokenAsync(client, "bob", "bob-dev-password");
        using var body = await SampleApi.ReadJsonAsync(response);
        var token = body.RootElement.GetProperty("access_token").GetString()!;

        Assert.Equal(300, body.RootElement.GetProperty("expires_in").GetInt64());
        using var payload = SampleApi.DecodeSegment(token, 1);
        Assert.Equal("https://sample.example", payload.RootElement.GetProperty("iss").GetString());
        Assert.Equal("sample-audience", payload.RootElement.GetProperty("aud").GetString());
        using var me = await SampleApi.GetAsync(client, "/api/me", token);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }
}

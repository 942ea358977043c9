using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>What a fetched key set may contain: unusable keys are skipped with a log line, never the whole set.</summary>
public sealed class RemoteKeySetContentTests : IAsyncLifetime
{
    private readonly TestKey _good = new("good");
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.Publish(_good);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _good.Dispose();
    }

    [Fact]
    public async Task Unusable_keys_are_skipped_with_a_log_line_and_the_rest_of_the_set_is_used()
    {
        using var weak = RSA.Create(1024);
        var p = weak.ExportParameters(false);
        var secret = RandomNumberGenerator.GetBytes(32);
        _server.ExtraJwks.Add($$"""{"kty":"RSA","kid":"weak-rsa","n":"{{TestJwt.B64(p.Modulus!)}}","e":"{{TestJwt.B64(p.Exponent!)}}"}""");
        _server.ExtraJwks.Add(_good.Jwk.Replace("\"kid\":\"good\"", "\"kid\":\"for-encryption\"", StringComparison.Ordinal).Replace("\"use\":\"sig\"", "\"use\":\"enc\"", StringComparison.Ordinal));
        _server.ExtraJwks.Add(_good.Jwk.Replace("\"kid\":\"good\"", "\"kid\":\"sign-only\",\"key_ops\":[\"sign\"]", StringComparison.Ordinal));
        _server.ExtraJwks.Add($$"""{"kty":"oct","kid":"shared-secret","alg":"HS256","k":"{{TestJwt.B64(secret)}}"}""");
        _server.ExtraJwks.Add("""{"kty":"OKP","kid":"ed","crv":"Ed25519","x":"AA"}""");
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_good.Token(_server.Issuer, harness.Now)));
        Assert.Equal(1, Assert.Single(harness.Resolver.Sources).GetStatus().KeyCount);
        var skipped = harness.Logs.GetSnapshot().Where(r => r.Id.Name == "RemoteKeySkipped").Select(r => r.Message).ToList();
        Assert.Equal(5, skipped.Count);
        Assert.All(skipped, m => Assert.Contains(_server.BaseUrl, m, StringComparison.Ordinal));
        foreach (var kid in new[] { "weak-rsa", "for-encryption", "sign-only", "shared-secret", "ed" })
        {
            Assert.Contains(skipped, m => m.Contains($"kid '{kid}'", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(skipped, m => m.Contains(TestJwt.B64(secret), StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Message.Contains(TestJwt.B64(secret), StringComparison.Ordinal));
        var hs = TestJwt.Hs(secret, TestJwt.Payload(harness.Now, issuer: _server.Issuer), headerJson: """{"alg":"HS256","typ":"JWT","kid":"shared-secret"}""");
        Assert.Equal(TokenFailureReason.KeyNotFound, (await harness.Resolver.ResolveAsync(new JwsHeader("HS256", "shared-secret", "JWT"), _server.Issuer, TestContext.Current.CancellationToken)).Failure);
        Assert.NotEqual(TokenFailureReason.None, await harness.ValidateAsync(hs));
    }

    [Fact]
    public async Task Symmetric_keys_are_used_only_when_allowed()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        _server.ExtraJwks.Add($$"""{"kty":"oct","kid":"shared-secret","alg":"HS256","k":"{{TestJwt.B64(secret)}}"}""");
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _server.BaseUrl;
            o.RemoteKeys.AllowSymmetricKeys = true;
        });
        await harness.WarmUpAsync();

        var hs = TestJwt.Hs(secret, TestJwt.Payload(harness.Now, issuer: _server.Issuer), headerJson: """{"alg":"HS256","typ":"JWT","kid":"shared-secret"}""");
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(hs));
    }

    [Theory]
    [InlineData("/jwks")]
    [InlineData("ftp://127.0.0.1/jwks")]
    [InlineData("file:///etc/passwd")]
    public async Task Metadata_naming_an_unusable_jwks_uri_is_refused_without_fetching_it(string jwksUri)
    {
        _server.JwksUriInMetadata = jwksUri;
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(0, _server.JwksRequests);
        Assert.Equal(0, _server.OtherRequests);
        Assert.Contains("jwks_uri", Assert.Single(harness.Resolver.Sources).GetStatus().LastError, StringComparison.Ordinal);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_good.Token(_server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task Metadata_escaping_a_lone_surrogate_is_reported_as_invalid_json()
    {
        _server.JwksUriInMetadata = _server.JwksUrl + "\\ud800";
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(0, _server.JwksRequests);
        Assert.StartsWith("The metadata is not valid JSON", Assert.Single(harness.Resolver.Sources).GetStatus().LastError, StringComparison.Ordinal);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_good.Token(_server.Issuer, harness.Now)));
    }

    [Theory]
    [InlineData("""{"kty":"EC","kid":"\udc00","crv":"P-256","x":"AA","y":"AA"}""")]
    [InlineData("""{"kty":"EC","kid":"vendor","crv":"P-256","x":"AA","y":"AA","x-vendor-label":"caf\ud83d"}""")]
    public async Task Key_set_escaping_a_lone_surrogate_is_reported_as_invalid_json(string jwk)
    {
        // Anywhere in the document, even in a member nothing reads: the whole set is refused as invalid JSON.
        _server.ExtraJwks.Add(jwk);
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal("The key set is not valid JSON.", Assert.Single(harness.Resolver.Sources).GetStatus().LastError);
    }

    [Fact]
    public void Discovered_jwks_uri_follows_the_https_rule_of_its_entry()
    {
        Assert.Null(Bearer.Auth.RemoteKeyEndpoint.ProblemWith(new Uri("http://127.0.0.1/jwks"), requireHttps: false));
        Assert.Contains("RequireHttpsMetadata", Bearer.Auth.RemoteKeyEndpoint.ProblemWith(new Uri("http://127.0.0.1/jwks"), requireHttps: true), StringComparison.Ordinal);
        Assert.Null(Bearer.Auth.RemoteKeyEndpoint.ProblemWith(new Uri("https://login.example.com/jwks"), requireHttps: true));
        Assert.NotNull(Bearer.Auth.RemoteKeyEndpoint.ProblemWith(new Uri("https://user:pass@login.example.com/jwks"), requireHttps: true));
    }
}

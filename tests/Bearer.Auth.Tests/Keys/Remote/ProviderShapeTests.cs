using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Bearer.Auth.Tests.Keys.Remote;

// Over 300 lines because each provider shape is one short test against one shared loopback provider and minter;
// split, the tests would repeat that set-up.

/// <summary>
/// The configurations JwtBearer users bring, against the shapes real providers publish (Azure AD B2C's policy query,
/// Keycloak's and Auth0's trailing slashes, Entra ID's v1/v2 issuers over one key set, RSA keys without <c>alg</c>),
/// served by a loopback discovery + JWKS server and with tokens minted by an independent library
/// (Microsoft.IdentityModel).
/// </summary>
public sealed class ProviderShapeTests : IAsyncLifetime
{
    private const string Audience = "api://orders";

    private readonly RSA _rsa = RSA.Create(2048);
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.ExtraJwks.Add(RsaJwkWithoutAlg(_rsa, "rsa-1"));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task Azure_ad_b2c_metadata_address_with_a_policy_query_and_valid_issuer_accepts_its_tokens()
    {
        var issuer = "https://tenant.b2clogin.example/6b1a2c3d/v2.0/";
        _server.Issuer = issuer;
        await using var harness = Harness(o =>
        {
            o.MetadataAddress = _server.BaseUrl + "/tenant.onmicrosoft.com/v2.0/.well-known/openid-configuration?p=B2C_1_signin";
            o.ValidIssuer = issuer;
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer, harness.Now)));
        Assert.Equal(1, _server.MetadataRequests);
    }

    [Fact]
    public async Task Metadata_address_whose_issuer_is_not_its_prefix_accepts_tokens_of_the_valid_issuer_it_names()
    {
        var issuer = "https://login.example/tenant-id/v2.0/";
        _server.Issuer = issuer;
        await using var harness = Harness(o =>
        {
            o.MetadataAddress = _server.BaseUrl + "/tenant.onmicrosoft.com/B2C_1_signin/v2.0/.well-known/openid-configuration";
            o.ValidIssuers.Add("https://unrelated.example");
            o.ValidIssuers.Add(issuer);
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer, harness.Now)));

        // The provider's keys are bound to the issuer its metadata named: they never sign as another valid issuer.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, "https://unrelated.example", harness.Now)));
    }

    [Fact]
    public void Metadata_address_with_a_query_and_no_valid_issuer_stops_start_up_naming_ValidIssuer()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = false;
            o.ValidAudience = Audience;
            o.MetadataAddress = "http://127.0.0.1:9/tenant/v2.0/.well-known/openid-configuration?p=B2C_1_signin";
        });

        var failure = Assert.Single(failures);
        Assert.StartsWith("BearerJwtOptions.ValidIssuer (Authentication:Schemes:Bearer:ValidIssuer) is required with MetadataAddress", failure, StringComparison.Ordinal);
        Assert.Contains("?p=B2C_1_signin", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("BearerJwtOptions.Issuer", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keycloak_authority_with_a_trailing_slash_accepts_the_issuer_without_it_and_binds_that_one()
    {
        var issuer = _server.BaseUrl + "/realms/main";
        _server.Issuer = issuer;
        await using var harness = Harness(o => o.Authority = issuer + "/");
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer + "/", harness.Now)));
    }

    [Fact]
    public async Task Auth0_authority_without_a_trailing_slash_accepts_the_issuer_with_it_and_nothing_under_it()
    {
        var issuer = _server.BaseUrl + "/auth0/";
        _server.Issuer = issuer;
        await using var harness = Harness(o => o.Authority = _server.BaseUrl + "/auth0");
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, issuer + "x", harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, _server.BaseUrl + "/auth0", harness.Now)));
    }

    [Theory]
    [InlineData("/auth0", "/auth0x")]
    [InlineData("/auth0", "/auth0//")]
    [InlineData("/auth0/", "/AUTH0/")]
    [InlineData("/auth0/", "/auth0/x")]
    [InlineData("/realms/main", "/realms")]
    public async Task Metadata_issuer_that_differs_by_more_than_one_trailing_slash_is_refused(string authorityPath, string issuerPath)
    {
        _server.Issuer = _server.BaseUrl + issuerPath;
        await using var harness = Harness(o => o.Authority = _server.BaseUrl + authorityPath);
        await harness.WarmUpAsync();

        Assert.Equal(0, _server.JwksRequests);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task Issuer_mismatch_is_logged_once_with_both_values_reported_unhealthy_and_never_called_key_not_found()
    {
        var stated = _server.BaseUrl + "/tenant-b";
        _server.Issuer = stated;
        var configured = _server.BaseUrl + "/tenant-a";
        await using var harness = Harness(o => o.Authority = configured);
        await harness.WarmUpAsync();

        // Retries (each backoff, and requests past the unknown-key cooldown) fetch the same mismatch again.
        for (var i = 0; i < 3; i++)
        {
            await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
            Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, configured, harness.Now)));
            Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, stated, harness.Now)));
        }

        // Only the issuers the source was configured for, or the one its metadata states, wait for it; any other is refused.
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, "https://random.example", harness.Now)));
        Assert.True(_server.MetadataRequests >= 4, $"{_server.MetadataRequests} metadata fetches");
        var mismatch = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyIssuerMismatch");
        Assert.Contains($"'{stated}'", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains($"'{configured}'", mismatch.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeySetFetchFailed");

        var report = await harness.HealthAsync();
        var entry = Assert.Single(report.Entries).Value;
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("issuer is not accepted", entry.Description, StringComparison.Ordinal);
        Assert.Contains($"'{stated}'", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mismatching_metadata_issuer_is_sanitized_and_capped_in_the_log()
    {
        _server.Issuer = "https://evil.example/\\u000a[Error] forged line " + new string('x', 400);
        await using var harness = Harness(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        var message = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyIssuerMismatch").Message;
        Assert.DoesNotContain('\n', message);
        Assert.Contains("https://evil.example/?[Error] forged line", message, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 200), message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha256)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha384)]
    [InlineData(SecurityAlgorithms.RsaSsaPssSha512)]
    public async Task An_rsa_key_published_without_alg_verifies_every_rsa_algorithm(string algorithm)
    {
        await using var harness = Harness(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(algorithm, _server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task A_configured_jwks_key_without_alg_starts_under_a_narrowed_ValidAlgorithms_and_serves_what_it_allows()
    {
        var validator = new BearerJwtValidator(new TokenValidationSettings
        {
            KeyResolver = new StaticKeyResolver(Jwks.Parse($$"""{"keys":[{{RsaJwkWithoutAlg(_rsa, "rsa-1")}}]}""", issuer: "https://static.example")),
            ValidIssuers = ["https://static.example"],
            ValidAudiences = [Audience],
            ValidAlgorithms = [JwsAlgorithms.PS256],
            TimeProvider = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(ValidatorFixture.Now),
        });
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.ValidAudience = Audience;
            o.Jwks = $$"""{"keys":[{{RsaJwkWithoutAlg(_rsa, "rsa-1")}}]}""";
            o.ValidIssuer = "https://static.example";
            o.ValidAlgorithms.Clear();
            o.ValidAlgorithms.Add(JwsAlgorithms.PS256);
        });

        Assert.Empty(failures);
        var result = await validator.ValidateAsync(Mint(SecurityAlgorithms.RsaSsaPssSha256, "https://static.example", ValidatorFixture.Now), TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, result.Failure);
    }

    [Fact]
    public void A_configured_jwks_key_without_alg_whose_type_ValidAlgorithms_leaves_out_entirely_is_one_message()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.ValidAudience = Audience;
            o.Jwks = $$"""{"keys":[{{RsaJwkWithoutAlg(_rsa, "rsa-1")}}]}""";
            o.ValidIssuer = "https://static.example";
            o.ValidAlgorithms.Clear();
            o.ValidAlgorithms.Add(JwsAlgorithms.ES256);
        });

        Assert.Equal(
            "BearerJwtOptions.VerificationKeys (Authentication:Schemes:Bearer:SigningKeys) contains a key (kid 'rsa-1') without 'alg' whose type (RSA) verifies none of the algorithms ValidAlgorithms allows.",
            Assert.Single(failures));
    }

    [Fact]
    public async Task An_authorities_entry_metadata_naming_another_sources_issuer_never_binds_its_keys_to_it()
    {
        using var otherRsa = RSA.Create(2048);
        await using var impostor = await JwksTestServer.StartAsync();
        impostor.ExtraJwks.Add(RsaJwkWithoutAlg(otherRsa, "rsa-1"));
        impostor.Issuer = _server.Issuer;
        await using var harness = Harness(o =>
        {
            o.Authority = _server.BaseUrl;
            o.ValidIssuers.Add(_server.Issuer);
            o.Authorities.Add(new RemoteKeyAuthority { MetadataAddress = impostor.BaseUrl + "/.well-known/openid-configuration" });
        });
        await harness.WarmUpAsync();

        var forged = MintWith(new RsaSecurityKey(otherRsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await harness.ValidateAsync(forged));
        Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyIssuerMismatch");
    }

    [Fact]
    public async Task A_scheme_metadata_address_never_binds_its_keys_to_a_valid_issuer_another_source_claims()
    {
        using var otherRsa = RSA.Create(2048);
        await using var impostor = await JwksTestServer.StartAsync();
        impostor.ExtraJwks.Add(RsaJwkWithoutAlg(otherRsa, "rsa-1"));
        impostor.Issuer = _server.Issuer;
        await using var harness = Harness(o =>
        {
            o.MetadataAddress = impostor.BaseUrl + "/tenant/v2.0/.well-known/openid-configuration?p=B2C_1_signin";
            o.ValidIssuers.Add(_server.Issuer);
            o.ValidIssuers.Add("https://b2c.example/tenant/v2.0/");
            o.Authorities.Add(new RemoteKeyAuthority { Authority = _server.BaseUrl });
        });
        await harness.WarmUpAsync();

        var forged = MintWith(new RsaSecurityKey(otherRsa) { KeyId = "rsa-1" }, SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await harness.ValidateAsync(forged));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task A_metadata_address_provider_that_is_down_does_not_hold_up_another_valid_issuer_served_by_a_configured_key()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        _server.Mode = ServerMode.Unavailable;
        await using var harness = Harness(o =>
        {
            o.MetadataAddress = _server.BaseUrl + "/tenant/v2.0/.well-known/openid-configuration?p=B2C_1_signin";
            o.ValidIssuers.Add("https://b2c.example/tenant/v2.0/");
            o.ValidIssuers.Add("https://local.example");
            o.VerificationKeys.Add(VerificationKey.Symmetric(secret, keyId: "local"));
        });
        await harness.WarmUpAsync();

        var local = TestJwt.Hs(secret, TestJwt.Payload(harness.Now, issuer: "https://local.example", audience: Audience), headerJson: """{"alg":"HS256","kid":"local"}""");

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(local));
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, "https://b2c.example/tenant/v2.0/", harness.Now)));
    }

    [Fact]
    public async Task An_hs256_token_keyed_with_the_rsa_public_key_of_a_key_without_alg_finds_no_key()
    {
        await using var harness = Harness(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();
        var publicKeyBytes = _rsa.ExportSubjectPublicKeyInfo();
        var confused = TestJwt.Hs(publicKeyBytes, TestJwt.Payload(harness.Now, issuer: _server.Issuer, audience: Audience), headerJson: """{"alg":"HS256","kid":"rsa-1"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(confused));
    }

    [Fact]
    public async Task A_p256_key_without_alg_never_verifies_es384()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var point = p256.ExportParameters(false).Q;
        _server.ExtraJwks.Add(new JsonObject { ["kty"] = "EC", ["kid"] = "ec-1", ["crv"] = "P-256", ["x"] = TestJwt.B64(point.X!), ["y"] = TestJwt.B64(point.Y!) }.ToJsonString());
        await using var harness = Harness(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        var es256 = MintWith(new ECDsaSecurityKey(p256) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha256, _server.Issuer, harness.Now);
        var es384 = MintWith(new ECDsaSecurityKey(p384) { KeyId = "ec-1" }, SecurityAlgorithms.EcdsaSha384, _server.Issuer, harness.Now);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(es256));
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(es384));
    }

    [Fact]
    public async Task Entra_v1_and_v2_issuers_share_one_key_set_when_the_source_lists_the_other_issuer()
    {
        var v2 = _server.BaseUrl + "/tenant-id/v2.0";
        const string V1 = "https://sts.windows.net/tenant-id/";
        _server.Issuer = v2;
        await using var harness = Harness(o =>
        {
            o.Authority = v2;
            o.AdditionalIssuers.Add(V1);
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, v2, harness.Now)));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, V1, harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, "https://sts.windows.net/other-tenant/", harness.Now)));
    }

    [Fact]
    public async Task A_valid_issuer_the_keys_may_not_sign_for_is_key_issuer_mismatch_not_key_not_found()
    {
        var v2 = _server.BaseUrl + "/tenant-id/v2.0";
        const string V1 = "https://sts.windows.net/tenant-id/";
        _server.Issuer = v2;
        await using var harness = Harness(o =>
        {
            o.Authority = v2;
            o.ValidIssuers.Add(V1);
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, V1, harness.Now)));
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(MintWith(new RsaSecurityKey(_rsa) { KeyId = "rotated-away" }, SecurityAlgorithms.RsaSha256, V1, harness.Now)));
    }

    [Fact]
    public async Task Additional_issuers_of_one_authority_never_reach_another_authoritys_keys()
    {
        using var otherRsa = RSA.Create(2048);
        await using var other = await JwksTestServer.StartAsync();
        other.ExtraJwks.Add(RsaJwkWithoutAlg(otherRsa, "other-1"));
        const string Shared = "https://sts.windows.net/tenant-id/";
        await using var harness = Harness(o =>
        {
            o.Authority = _server.BaseUrl;
            o.AdditionalIssuers.Add(Shared);
            o.Authorities.Add(new RemoteKeyAuthority { Authority = other.BaseUrl });
        });
        await harness.WarmUpAsync();

        var byOther = MintWith(new RsaSecurityKey(otherRsa) { KeyId = "other-1" }, SecurityAlgorithms.RsaSha256, Shared, harness.Now);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, Shared, harness.Now)));
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(byOther));
    }

    [Fact]
    public void Additional_issuers_need_keys_bound_to_an_issuer()
    {
        var failures = RemoteKeysHarness.ValidationFailures(o =>
        {
            o.RequireHttpsMetadata = false;
            o.ValidAudience = Audience;
            o.ValidIssuer = "https://configured.example";
            o.JwksUri = "http://127.0.0.1:9/jwks";
            o.AdditionalIssuers.Add("https://sts.windows.net/tenant-id/");
        });

        Assert.Contains(failures, f => f.StartsWith("BearerJwtOptions.AdditionalIssuers (Authentication:Schemes:Bearer:AdditionalIssuers) needs keys bound to an issuer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Additional_issuers_bind_from_configuration_at_the_top_and_per_authority()
    {
        var v2 = _server.BaseUrl + "/tenant-id/v2.0";
        _server.Issuer = v2;
        await using var harness = RemoteKeysHarness.Create(configuration: new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = v2,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
            ["Authentication:Schemes:Bearer:AdditionalIssuers:0"] = "https://sts.windows.net/tenant-id/",
            ["Authentication:Schemes:Bearer:Authorities:0:Authority"] = "http://127.0.0.1:9/other",
            ["Authentication:Schemes:Bearer:Authorities:0:AdditionalIssuers:0"] = "https://other.example/v1/",
        });
        await harness.WarmUpAsync();

        Assert.Equal(["https://sts.windows.net/tenant-id/"], harness.Options.AdditionalIssuers);
        Assert.Equal(["https://other.example/v1/"], harness.Options.Authorities[0].AdditionalIssuers);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, "https://sts.windows.net/tenant-id/", harness.Now)));
    }

    [Fact]
    public async Task Provider_down_before_any_key_was_fetched_is_key_source_unavailable()
    {
        _server.Mode = ServerMode.Unavailable;
        await using var harness = Harness(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(Mint(SecurityAlgorithms.RsaSha256, _server.Issuer, harness.Now)));
    }

    private static RemoteKeysHarness Harness(Action<BearerJwtOptions> configure) => RemoteKeysHarness.Create(o =>
    {
        o.RequireHttpsMetadata = false;
        o.ValidAudience = Audience;
        configure(o);
    });

    /// <summary>An RSA JWK as Entra ID and node oidc-provider publish it: <c>kty</c>, <c>use</c>, <c>kid</c>, <c>n</c>, <c>e</c>, no <c>alg</c>.</summary>
    private static string RsaJwkWithoutAlg(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid, ["n"] = TestJwt.B64(p.Modulus!), ["e"] = TestJwt.B64(p.Exponent!) }.ToJsonString();
    }

    private string Mint(string algorithm, string issuer, DateTimeOffset now) =>
        MintWith(new RsaSecurityKey(_rsa) { KeyId = "rsa-1" }, algorithm, issuer, now);

    private static string MintWith(SecurityKey key, string algorithm, string issuer, DateTimeOffset now)
    {
        key.CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", "user-1")]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddMinutes(10).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }
}

using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>Discovery issuer checks, per-authority key binding, bare JWKS issuer binding.</summary>
public sealed class RemoteKeyAuthorityTests : IAsyncLifetime
{
    private readonly TestKey _a = new("k1");
    private readonly TestKey _b = new("k1");
    private readonly TestKey _bOnly = new("b-only");
    private JwksTestServer _serverA = null!;
    private JwksTestServer _serverB = null!;

    public async ValueTask InitializeAsync()
    {
        _serverA = await JwksTestServer.StartAsync();
        _serverB = await JwksTestServer.StartAsync();
        _serverA.Publish(_a);
        _serverB.Publish(_b, _bOnly);
    }

    public async ValueTask DisposeAsync()
    {
        await _serverA.DisposeAsync();
        await _serverB.DisposeAsync();
        _a.Dispose();
        _b.Dispose();
        _bOnly.Dispose();
    }

    [Fact]
    public async Task Static_unbound_key_cannot_sign_as_an_authoritys_issuer_even_when_that_issuer_is_listed()
    {
        var secretX = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _serverA.BaseUrl;
            o.ValidIssuers.Add(_serverA.Issuer);
            o.ValidIssuers.Add("https://x.example");
            o.VerificationKeys.Add(Bearer.Auth.VerificationKey.Symmetric(secretX, keyId: "x-secret"));
        });
        await harness.WarmUpAsync();
        var payload = Support.TestJwt.Payload(harness.Now, issuer: _serverA.Issuer);

        var forged = Support.TestJwt.Hs(secretX, payload, headerJson: """{"alg":"HS256","kid":"x-secret"}""");
        var forX = Support.TestJwt.Hs(secretX, Support.TestJwt.Payload(harness.Now, issuer: "https://x.example"), headerJson: """{"alg":"HS256","kid":"x-secret"}""");

        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(forged));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(forX));
    }

    [Fact]
    public async Task A_custom_resolver_is_asked_together_with_the_configured_keys_and_the_remote_sources()
    {
        // Neither is dropped for the other: before, a custom resolver beside remote sources was refused at start-up,
        // and beside configured keys it silently replaced them.
        var configuredSecret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var customSecret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _serverA.BaseUrl;
            o.ValidIssuers.Add("https://x.example");
            o.VerificationKeys.Add(Bearer.Auth.VerificationKey.Symmetric(configuredSecret, keyId: "configured"));
            o.KeyResolver = new StaticKeyResolver([Bearer.Auth.VerificationKey.Symmetric(customSecret, keyId: "custom", issuer: "https://custom.example")]);
        });
        await harness.WarmUpAsync();
        var fromX = Support.TestJwt.Payload(harness.Now, issuer: "https://x.example");
        var fromCustom = Support.TestJwt.Payload(harness.Now, issuer: "https://custom.example");

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token(_serverA.Issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Support.TestJwt.Hs(configuredSecret, fromX, headerJson: """{"alg":"HS256","kid":"configured"}""")));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(Support.TestJwt.Hs(customSecret, fromCustom, headerJson: """{"alg":"HS256","kid":"custom"}""")));

        // The custom resolver binds its key like a built-in one: it vouches for its issuer only.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(Support.TestJwt.Hs(customSecret, fromX, headerJson: """{"alg":"HS256","kid":"custom"}""")));
    }

    [Fact]
    public async Task Unbound_jwks_source_cannot_sign_as_an_authoritys_issuer_even_when_that_issuer_is_listed()
    {
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _serverA.BaseUrl;
            o.Authorities.Add(new RemoteKeyAuthority { JwksUri = _serverB.JwksUrl });
            o.ValidIssuers.Add(_serverA.Issuer);
            o.ValidIssuers.Add("https://x.example");
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(_bOnly.Token(_serverA.Issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_bOnly.Token("https://x.example", harness.Now)));
    }

    [Fact]
    public async Task Discovery_issuer_mismatch_is_refused_and_reported()
    {
        _serverA.Issuer = "https://someone-else.example";
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _serverA.BaseUrl);
        await harness.WarmUpAsync();

        Assert.Equal(0, _serverA.JwksRequests);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_a.Token(_serverA.BaseUrl, harness.Now)));

        // The source cannot tell which tokens are good: none it might serve is called bad (a 401 would discard them).
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_a.Token("https://someone-else.example", harness.Now)));
        var report = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("issuer", (string)Assert.Single(report.Entries).Value.Data["0:lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issuer_changing_after_start_is_refused_and_the_last_good_set_kept()
    {
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _serverA.BaseUrl);
        await harness.WarmUpAsync();
        _serverA.Issuer = "https://someone-else.example";

        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(1, _serverA.JwksRequests);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token(_serverA.BaseUrl, harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(_a.Token("https://someone-else.example", harness.Now)));
    }

    [Fact]
    public async Task Opting_out_of_the_metadata_issuer_check_binds_keys_to_the_issuer_the_metadata_names()
    {
        _serverA.Issuer = "https://tenant.example/v2";
        await using var harness = RemoteKeysHarness.Create(o => o.Authorities.Add(new RemoteKeyAuthority
        {
            Authority = _serverA.BaseUrl,
            ValidateMetadataIssuer = false,
        }));
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token("https://tenant.example/v2", harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(_a.Token(_serverA.BaseUrl, harness.Now)));
    }

    [Fact]
    public async Task Authorities_in_one_scheme_do_not_share_keys()
    {
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authorities.Add(new RemoteKeyAuthority { Authority = _serverA.BaseUrl });
            o.Authorities.Add(new RemoteKeyAuthority { Authority = _serverB.BaseUrl });
        });
        await harness.WarmUpAsync();
        var now = harness.Now;

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token(_serverA.Issuer, now)));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_b.Token(_serverB.Issuer, now)));

        // A's issuer, B's key under the kid both publish: A's k1 is the only candidate, and it does not verify.
        Assert.Equal(TokenFailureReason.SignatureInvalid, await harness.ValidateAsync(_b.Token(_serverA.Issuer, now)));

        // A's issuer, a kid only B publishes: A has no such key and B's keys never serve A.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, (await harness.ResolveAsync("b-only", _serverA.Issuer)).Failure);
        // Through the validator too: A vouches for its issuer, so the reason names the key, not the issuer.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(_bOnly.Token(_serverA.Issuer, now)));

        // Unknown kids for A only ever fetch from A.
        Assert.Equal(1, _serverB.JwksRequests);
    }

    [Fact]
    public async Task Tokens_of_an_unrelated_issuer_never_cause_a_fetch()
    {
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _serverA.BaseUrl);
        await harness.WarmUpAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TokenFailureReason.KeyNotFound, (await harness.ResolveAsync("kid-" + i, "https://attacker.example")).Failure);
        }

        Assert.Equal(1, _serverA.MetadataRequests);
    }

    [Fact]
    public async Task Bare_jwks_entry_binds_its_keys_to_its_configured_issuer()
    {
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuers.Add("https://other.example");
            o.Authorities.Add(new RemoteKeyAuthority { JwksUri = _serverA.JwksUrl, Issuer = "https://jwks-issuer.example" });
        });
        await harness.WarmUpAsync();

        Assert.Equal(0, _serverA.MetadataRequests);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token("https://jwks-issuer.example", harness.Now)));

        // Another valid issuer cannot borrow these keys.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await harness.ValidateAsync(_a.Token("https://other.example", harness.Now)));
    }

    [Fact]
    public async Task Bare_jwks_uri_keys_are_unbound_and_rely_on_valid_issuers()
    {
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuer = "https://configured.example";
            o.JwksUri = _serverA.JwksUrl;
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token("https://configured.example", harness.Now)));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await harness.ValidateAsync(_a.Token("https://unconfigured.example", harness.Now)));
    }

    [Fact]
    public async Task Static_keys_and_remote_keys_compose_in_one_scheme()
    {
        using var staticKey = new TestKey("static");
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _serverA.BaseUrl;
            o.Jwks = "{\"keys\":[" + staticKey.Jwk + "]}";
            o.ValidIssuers.Add("https://static.example");
        });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(staticKey.Token("https://static.example", harness.Now)));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_a.Token(_serverA.Issuer, harness.Now)));
    }

    [Fact]
    public async Task A_token_signed_by_a_configured_key_costs_no_remote_fetch()
    {
        // A bare JWKS URI serves any valid issuer, so its set is asked about the configured key's kid too; that kid
        // is unknown to it by nature and must not trigger a fetch (and a waiting request) once per cooldown.
        using var staticKey = new TestKey("static");
        using var rotated = new TestKey("rotated-in");
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuer = "https://configured.example";
            o.JwksUri = _serverA.JwksUrl;
            o.Jwks = "{\"keys\":[" + staticKey.Jwk + "]}";
        });
        await harness.WarmUpAsync();
        var fetches = _serverA.JwksRequests;

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(staticKey.Token("https://configured.example", harness.Now)));
        Assert.Equal(fetches, _serverA.JwksRequests);

        // A kid nobody has still makes the remote set look for it.
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(rotated.Token("https://configured.example", harness.Now)));
        Assert.Equal(fetches + 1, _serverA.JwksRequests);
    }

    [Fact]
    public async Task A_remote_set_never_fetched_is_fetched_even_when_a_configured_key_is_a_candidate()
    {
        // A token without kid matches every key of its alg; a remote source that has no key set yet knows nothing,
        // so it fetches (as it would alone) rather than leave the token to the configured key.
        using var configured = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var remote = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _serverA.Publish([Bearer.Auth.VerificationKey.Ecdsa(remote)]);
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuer = "https://configured.example";
            o.JwksUri = _serverA.JwksUrl;
            o.VerificationKeys.Add(Bearer.Auth.VerificationKey.Ecdsa(configured));
        });
        var token = TestJwt.Es(remote, TestJwt.Payload(harness.Now, issuer: "https://configured.example"), headerJson: """{"alg":"ES256","typ":"JWT"}""");

        Assert.Equal(0, _serverA.JwksRequests);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(token));
        Assert.Equal(1, _serverA.JwksRequests);
    }
}

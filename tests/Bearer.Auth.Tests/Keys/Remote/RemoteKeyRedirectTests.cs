using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// Key fetches follow redirects only within the origin asked for: a JWKS or discovery URL redirecting to another port
/// (another server), another scheme or another host is a failed fetch, logged, with nothing sent to the target.
/// </summary>
public sealed class RemoteKeyRedirectTests : IAsyncLifetime
{
    private const string Issuer = "https://issuer.example";
    private readonly TestKey _genuine = new("k1");
    private readonly TestKey _attacker = new("k1");
    private JwksTestServer _provider = null!;
    private JwksTestServer _elsewhere = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = await JwksTestServer.StartAsync();
        _elsewhere = await JwksTestServer.StartAsync();
        _provider.Publish(_genuine);
        _elsewhere.Publish(_attacker);
        // The other server claims the provider's issuer: only the origin check keeps its metadata out.
        _elsewhere.Issuer = _provider.Issuer;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await _elsewhere.DisposeAsync();
        _genuine.Dispose();
        _attacker.Dispose();
    }

    [Fact]
    public async Task Jwks_redirect_to_another_port_is_refused_logged_and_never_requested()
    {
        _provider.Redirects["/keys"] = _elsewhere.JwksUrl;
        await using var harness = BareJwks(_provider.BaseUrl + "/keys");

        await harness.WarmUpAsync();

        var refused = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyRedirectRefused");
        Assert.Equal(
            $"Key set from {_provider.BaseUrl}/keys: the key set request to {_provider.BaseUrl}/keys was redirected to {_elsewhere.JwksUrl}, another origin; the redirect is not followed.",
            refused.Message);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_attacker.Token(Issuer, harness.Now)));
        Assert.Equal(0, _elsewhere.JwksRequests);
        var report = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        Assert.Contains("redirected to another origin", (string)Assert.Single(report.Entries).Value.Data["0:lastError"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jwks_redirect_to_another_origin_after_a_good_fetch_keeps_the_last_good_set()
    {
        await using var harness = BareJwks(_provider.BaseUrl + "/keys");
        _provider.Redirects["/keys"] = "/jwks";
        await harness.WarmUpAsync();
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_genuine.Token(Issuer, harness.Now)));

        _provider.Redirects["/keys"] = _elsewhere.JwksUrl;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_genuine.Token(Issuer, harness.Now)));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await harness.ValidateAsync(_attacker.Token(Issuer, harness.Now)));
        Assert.Equal(0, _elsewhere.JwksRequests);
        Assert.Equal(HealthStatus.Degraded, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Discovery_redirect_to_another_port_is_refused_and_never_requested()
    {
        _provider.Redirects["/.well-known/openid-configuration"] = _elsewhere.BaseUrl + "/.well-known/openid-configuration";
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _provider.BaseUrl);

        await harness.WarmUpAsync();

        var refused = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyRedirectRefused");
        Assert.Contains("the metadata request", refused.Message, StringComparison.Ordinal);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_attacker.Token(_provider.Issuer, harness.Now)));
        Assert.Equal(0, _elsewhere.MetadataRequests);
        Assert.Equal(0, _elsewhere.JwksRequests);
    }

    [Fact]
    public async Task Redirect_to_another_scheme_on_the_same_host_and_port_is_refused()
    {
        var https = "https" + _provider.JwksUrl["http".Length..];
        _provider.Redirects["/keys"] = https;
        await using var harness = BareJwks(_provider.BaseUrl + "/keys");

        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_genuine.Token(Issuer, harness.Now)));
        Assert.Equal(0, _provider.JwksRequests);
        Assert.Contains(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyRedirectRefused" && r.Message.Contains(https, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_origin_redirects_are_followed_for_discovery_and_key_set()
    {
        _provider.Redirects["/old/.well-known/openid-configuration"] = _provider.BaseUrl + "/.well-known/openid-configuration";
        _provider.JwksUriInMetadata = _provider.BaseUrl + "/keys";
        _provider.Redirects["/keys"] = "/jwks";
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.MetadataAddress = _provider.BaseUrl + "/old/.well-known/openid-configuration";
            o.ValidIssuer = _provider.Issuer;
        });

        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_genuine.Token(_provider.Issuer, harness.Now)));
        Assert.Equal(2, _provider.RedirectRequests);
        Assert.DoesNotContain(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyRedirectRefused");
    }

    [Fact]
    public async Task Redirect_loop_ends_after_the_maximum_number_of_redirects()
    {
        _provider.Redirects["/loop"] = "/loop";
        await using var harness = BareJwks(_provider.BaseUrl + "/loop");

        await harness.WarmUpAsync();

        // One request, then one per redirect followed; the next redirect fails the fetch.
        Assert.Equal(RemoteKeySetFetcher.MaximumRedirects + 1, _provider.RedirectRequests);
        var failed = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeySetFetchFailed");
        Assert.Contains($"redirected more than {RemoteKeySetFetcher.MaximumRedirects} times", failed.Message, StringComparison.Ordinal);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_genuine.Token(Issuer, harness.Now)));
    }

    [Fact]
    public async Task Answer_from_another_origin_is_refused_when_the_applications_client_follows_redirects_itself()
    {
        // A client of the application's own (another name than ours, so its handler still redirects automatically).
        _provider.Redirects["/keys"] = _elsewhere.JwksUrl;
        await using var harness = RemoteKeysHarness.Create(
            o =>
            {
                o.ValidIssuer = Issuer;
                o.JwksUri = _provider.BaseUrl + "/keys";
                o.RemoteKeys.HttpClientName = "application-client";
            },
            addServices: services => services.AddHttpClient("application-client"));

        await harness.WarmUpAsync();

        Assert.Equal(1, _elsewhere.JwksRequests);
        Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeyRedirectRefused");
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_attacker.Token(Issuer, harness.Now)));
    }

    private static RemoteKeysHarness BareJwks(string jwksUri) => RemoteKeysHarness.Create(o =>
    {
        o.ValidIssuer = Issuer;
        o.JwksUri = jwksUri;
    });
}

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>Failures of the key source: the last good set keeps serving, health reports it, waits are bounded.</summary>
public sealed class RemoteKeyOutageTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private JwksTestServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.Publish(_k1);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _k1.Dispose();
    }

    [Fact]
    public async Task Outage_serves_the_last_good_set_and_health_goes_degraded_then_unhealthy_past_the_staleness_bound()
    {
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();
        var healthy = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        var entry = Assert.Single(healthy.Entries).Value;
        Assert.Equal(1, entry.Data["0:keyCount"]);
        Assert.Equal(_server.Issuer, entry.Data["0:issuer"]);
        Assert.True(entry.Data.ContainsKey("0:lastSuccess"));

        _server.Mode = ServerMode.Unavailable;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);
        Assert.Equal(2, _server.MetadataRequests);

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        var degraded = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("503", (string)Assert.Single(degraded.Entries).Value.Data["0:lastError"], StringComparison.Ordinal);

        // Retries back off while time passes; the stale set keeps serving until the staleness bound.
        var staleness = harness.Options.RemoteKeys.MaximumStaleness;
        for (var elapsed = harness.Options.RemoteKeys.RefreshInterval; elapsed < staleness - TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromMinutes(10))
        {
            await harness.AdvanceAsync(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        Assert.Equal(HealthStatus.Degraded, (await harness.HealthAsync()).Status);
        var requestsDuringOutage = _server.MetadataRequests;
        Assert.InRange(requestsDuringOutage, 3, 200);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(20));
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        var unhealthy = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);

        // The provider comes back: the next retry restores the keys.
        _server.Mode = ServerMode.Normal;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.MaximumRetryDelay);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        Assert.Equal(HealthStatus.Healthy, (await harness.HealthAsync()).Status);
    }

    [Theory]
    [InlineData(ServerMode.Unavailable, "503")]
    [InlineData(ServerMode.Closed, "request failed")]
    [InlineData(ServerMode.Garbage, "JSON")]
    [InlineData(ServerMode.Huge, "larger than")]
    [InlineData(ServerMode.NoUsableKeys, "no usable signing key")]
    public async Task Bad_key_set_response_keeps_the_last_good_set(ServerMode mode, string error)
    {
        await using var harness = RemoteKeysHarness.Create(o => o.JwksUri = _server.JwksUrl, new() { ["Authentication:Schemes:Bearer:ValidIssuer"] = _server.Issuer });
        await harness.WarmUpAsync();

        _server.Mode = mode;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        var status = Assert.Single(harness.Resolver.Sources).GetStatus();
        Assert.Equal(1, status.KeyCount);
        Assert.Contains(error, status.LastError, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Degraded, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Well_formed_empty_key_set_replaces_the_cached_keys_at_once_so_their_tokens_fail_key_not_found()
    {
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await harness.WarmUpAsync();
        var token = _k1.Token(_server.Issuer, harness.Now);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(token));

        // The provider revokes its keys: {"keys":[]} is its answer, not a failed fetch.
        _server.Publish();
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(token));
        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        var status = Assert.Single(harness.Resolver.Sources).GetStatus();
        Assert.Equal(0, status.KeyCount);
        Assert.Equal(0, status.ConsecutiveFailures);
        Assert.Null(status.LastError);
        var health = await harness.HealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("empty key set", Assert.Single(health.Entries).Value.Description, StringComparison.Ordinal);
        var logged = Assert.Single(harness.Logs.GetSnapshot(), r => r.Id.Name == "RemoteKeySetEmpty");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, logged.Level);
        Assert.Contains(_server.BaseUrl, logged.Message, StringComparison.Ordinal);

        // Publishing a key again restores service at the next fetch (here: the unknown kid's).
        _server.Publish(_k1);
        await harness.AdvanceAsync(harness.Options.RemoteKeys.UnknownKeyCooldown);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        Assert.Equal(HealthStatus.Healthy, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Empty_key_set_at_first_fetch_fails_tokens_with_key_not_found_not_unavailable()
    {
        _server.Publish();
        await using var harness = RemoteKeysHarness.Create(o => o.JwksUri = _server.JwksUrl, new() { ["Authentication:Schemes:Bearer:ValidIssuer"] = _server.Issuer });
        await harness.WarmUpAsync();

        Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        Assert.Equal(HealthStatus.Unhealthy, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Oversize_first_response_is_cut_at_the_cap_and_reported_unavailable()
    {
        _server.Mode = ServerMode.Huge;
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuer = _server.Issuer;
            o.JwksUri = _server.JwksUrl;
            o.RemoteKeys.MaximumResponseSize = 64 * 1024;
        });

        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        Assert.Contains("larger than 65536 bytes", Assert.Single(harness.Resolver.Sources).GetStatus().LastError, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, (await harness.HealthAsync()).Status);
    }

    [Fact]
    public async Task Slow_first_fetch_fails_the_request_with_key_source_unavailable_at_the_wait_timeout()
    {
        _server.Mode = ServerMode.Slow;
        _server.ExpectRequest();
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);

        var pending = harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now));
        await _server.RequestArrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.False(pending.IsCompleted);

        harness.Time.Advance(harness.Options.RemoteKeys.RefreshWaitTimeout);
        Assert.Equal(TokenFailureReason.KeySourceUnavailable, await pending.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));

        // The fetch itself carried on: once the provider answers, the keys are there.
        _server.Mode = ServerMode.Normal;
        _server.ReleaseSlowResponses();
        await harness.IdleAsync();
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task Hanging_fetch_is_abandoned_at_the_fetch_timeout_and_retried()
    {
        _server.Mode = ServerMode.Slow;
        _server.ExpectRequest();
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        var prewarm = harness.WarmUpAsync();
        await _server.RequestArrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        harness.Time.Advance(harness.Options.RemoteKeys.FetchTimeout);
        await harness.IdleAsync();
        await prewarm.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Contains("did not complete", Assert.Single(harness.Resolver.Sources).GetStatus().LastError, StringComparison.Ordinal);

        _server.Mode = ServerMode.Normal;
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RetryDelay);
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
    }

    [Fact]
    public async Task Unavailable_source_is_fetched_at_most_once_per_cooldown_by_requests()
    {
        _server.Mode = ServerMode.Unavailable;
        await using var harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TokenFailureReason.KeySourceUnavailable, await harness.ValidateAsync(_k1.Token(_server.Issuer, harness.Now)));
        }

        Assert.Equal(1, _server.MetadataRequests);
    }
}

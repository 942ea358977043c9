
namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>Rotation, unknown-kid refresh, single flight and cooldown, against a real loopback OpenID Provider.</summary>
public sealed class RemoteKeyRotationTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private readonly TestKey _k2 = new("k2");
    private JwksTestServer _server = null!;
    private RemoteKeysHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.Publish(_k1);
        _harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await _harness.WarmUpAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
        _k1.Dispose();
        _k2.Dispose();
    }

    [Fact]
    public async Task Prewarmed_key_set_validates_without_another_fetch_and_discovered_issuer_is_valid()
    {
        Assert.Equal(1, _server.JwksRequests);

        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k1.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(1, _server.JwksRequests);
        Assert.Equal(1, _server.MetadataRequests);
    }

    [Fact]
    public async Task New_kid_after_rotation_is_accepted_on_its_first_request_and_old_tokens_keep_working()
    {
        var old = _k1.Token(_server.Issuer, _harness.Now);
        _server.Publish(_k1, _k2);

        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(old));
        Assert.Equal(2, _server.JwksRequests);
    }

    [Fact]
    public async Task Concurrent_requests_with_the_same_unknown_kid_share_exactly_one_fetch()
    {
        _server.Publish(_k1, _k2);
        _server.Mode = ServerMode.Slow;
        _server.ExpectRequest();
        var token = _k2.Token(_server.Issuer, _harness.Now);
        var started = 0;
        var validations = Enumerable.Range(0, 500).Select(_ => Task.Run(async () =>
        {
            var pending = _harness.Options.Validator!.ValidateAsync(token, TestContext.Current.CancellationToken);
            Interlocked.Increment(ref started);
            return (await pending).Failure;
        })).ToArray();

        // Hold the one fetch open until every request has joined it.
        await _server.RequestArrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        while (Volatile.Read(ref started) < validations.Length)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        _server.Mode = ServerMode.Normal;
        _server.ReleaseSlowResponses();
        var failures = await Task.WhenAll(validations);

        Assert.All(failures, f => Assert.Equal(TokenFailureReason.None, f));
        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(2, _server.MetadataRequests);
    }

    [Fact]
    public async Task New_kid_joining_a_background_fetch_that_read_the_old_set_still_succeeds_on_its_first_request()
    {
        var issuer = "https://bare.example";
        await using var harness = RemoteKeysHarness.Create(o =>
        {
            o.ValidIssuer = issuer;
            o.JwksUri = _server.JwksUrl;
        });
        await harness.WarmUpAsync();
        var before = _server.JwksRequests;

        // A background refresh reads the old set and is held; the rotation lands meanwhile.
        _server.Mode = ServerMode.Slow;
        _server.ExpectRequest();
        harness.Time.Advance(harness.Options.RemoteKeys.RefreshInterval);
        await _server.RequestArrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        _server.Publish(_k1, _k2);
        var pending = harness.ValidateAsync(_k2.Token(issuer, harness.Now));

        _server.Mode = ServerMode.Normal;
        _server.ReleaseSlowResponses();

        Assert.Equal(TokenFailureReason.None, await pending.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal(before + 2, _server.JwksRequests);
    }

    [Fact]
    public async Task Distinct_unknown_kids_within_the_cooldown_cause_at_most_one_fetch()
    {
        for (var i = 0; i < 50; i++)
        {
            var resolution = await _harness.ResolveAsync("unknown-" + i, _server.Issuer);
            Assert.Equal(TokenFailureReason.KeyNotFound, resolution.Failure);
        }

        Assert.Equal(2, _server.JwksRequests);

        // Once the cooldown has passed, an unknown kid may fetch again (once).
        _harness.Time.Advance(_harness.Options.RemoteKeys.UnknownKeyCooldown);
        Assert.Equal(TokenFailureReason.KeyNotFound, (await _harness.ResolveAsync("unknown-again", _server.Issuer)).Failure);
        Assert.Equal(TokenFailureReason.KeyNotFound, (await _harness.ResolveAsync("unknown-again-2", _server.Issuer)).Failure);
        Assert.Equal(3, _server.JwksRequests);
    }

    [Fact]
    public async Task Forged_tokens_under_a_known_kid_never_refresh_so_a_later_rotation_is_accepted_first_time()
    {
        using var attacker = new TestKey("k1");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(attacker.Token(_server.Issuer, _harness.Now)));
        }

        Assert.Equal(1, _server.JwksRequests);

        _server.Publish(_k2);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);
    }

    [Fact]
    public async Task Kid_reused_for_a_new_key_is_refused_until_the_scheduled_refresh()
    {
        // A provider mistake not papered over: under a known kid a failed signature is indistinguishable from a forgery,
        // and refreshing on it would let forged tokens drive fetches (see the test above).
        using var reissued = new TestKey("k1");
        _server.Publish(reissued);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(reissued.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k1.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(1, _server.JwksRequests);

        await _harness.AdvanceAsync(_harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(reissued.Token(_server.Issuer, _harness.Now)));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_k1.Token(_server.Issuer, _harness.Now)));
    }

    [Fact]
    public async Task Known_kid_under_another_algorithm_does_not_refresh()
    {
        var resolution = await _harness.Resolver.ResolveAsync(new JwsHeader("ES384", "k1", "JWT"), _server.Issuer, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.KeyNotFound, resolution.Failure);
        Assert.Equal(1, _server.JwksRequests);
    }

    [Fact]
    public async Task Background_refresh_replaces_the_set_on_the_interval_and_removed_keys_stop_verifying()
    {
        _server.Publish(_k2);
        await _harness.AdvanceAsync(_harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(2, _server.JwksRequests);
        var now = _harness.Now;
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.Token(_server.Issuer, now)));
        Assert.Equal(TokenFailureReason.KeyNotFound, (await _harness.ResolveAsync("k1", _server.Issuer)).Failure);
    }

    [Fact]
    public async Task Short_max_age_shortens_the_refresh_interval_but_not_below_the_minimum()
    {
        _server.CacheControl = "public, max-age=1";
        await _harness.AdvanceAsync(_harness.Options.RemoteKeys.RefreshInterval);
        Assert.Equal(2, _server.JwksRequests);

        // max-age=1 is clamped to the minimum interval: nothing before it, one fetch at it.
        _harness.Time.Advance(_harness.Options.RemoteKeys.MinimumRefreshInterval - TimeSpan.FromSeconds(1));
        await _harness.IdleAsync();
        Assert.Equal(2, _server.JwksRequests);
        await _harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(3, _server.JwksRequests);
    }

    [Fact]
    public async Task Cache_hit_allocates_nothing()
    {
        for (var i = 0; i < 10; i++)
        {
            await _harness.ResolveAsync("k1", _server.Issuer);
        }

        var found = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            var pending = _harness.ResolveAsync("k1", _server.Issuer);
            if (pending.IsCompletedSuccessfully && (await pending).Failure == TokenFailureReason.None)
            {
                found++;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100, found);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Header_urls_and_embedded_keys_never_cause_a_request()
    {
        var header = $$"""
            "jku":"{{_server.BaseUrl}}/attacker-jwks","x5u":"{{_server.BaseUrl}}/attacker-cert"
            """;
        var token = _k1.Token(_server.Issuer, _harness.Now, kid: "not-published", extraHeader: header);

        Assert.NotEqual(TokenFailureReason.None, await _harness.ValidateAsync(token));
        await _harness.IdleAsync();
        Assert.Equal(0, _server.OtherRequests);
    }
}

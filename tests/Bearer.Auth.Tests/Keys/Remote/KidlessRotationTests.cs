namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// Rotation of keys published without <c>kid</c>: a kid-less token that no cached key verifies refreshes the set under
/// the unknown-kid cooldown, so a freshly rotated key verifies at once while a forged token costs one fetch per cooldown.
/// </summary>
public sealed class KidlessRotationTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private readonly TestKey _k2 = new("k2");
    private readonly TestKey _forger = new("forger");
    private JwksTestServer _server = null!;
    private RemoteKeysHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.PublishKidless(_k1);
        _harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await _harness.WarmUpAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
        _k1.Dispose();
        _k2.Dispose();
        _forger.Dispose();
    }

    [Fact]
    public async Task Kidless_token_of_a_freshly_rotated_key_refreshes_the_set_and_is_accepted_on_its_first_request()
    {
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k1.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(1, _server.JwksRequests);

        _server.PublishKidless(_k2);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);

        // The old key left the set with that fetch.
        Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_k1.KidlessToken(_server.Issuer, _harness.Now)));
    }

    [Fact]
    public async Task Kidless_keys_published_side_by_side_during_a_rotation_both_verify()
    {
        _server.PublishKidless(_k1, _k2);
        await _harness.AdvanceAsync(_harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(2, Assert.Single(_harness.Resolver.Sources).GetStatus().KeyCount);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k1.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);
    }

    [Fact]
    public async Task Rotation_within_the_cooldown_of_an_earlier_refresh_is_picked_up_once_the_cooldown_has_passed()
    {
        Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_forger.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);

        _server.PublishKidless(_k2);
        Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_k2.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(2, _server.JwksRequests);

        _harness.Time.Advance(_harness.Options.RemoteKeys.UnknownKeyCooldown);
        Assert.Equal(TokenFailureReason.None, await _harness.ValidateAsync(_k2.KidlessToken(_server.Issuer, _harness.Now)));
        Assert.Equal(3, _server.JwksRequests);
    }

    [Fact]
    public async Task Forged_kidless_tokens_cost_the_provider_at_most_one_fetch_per_cooldown()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_forger.KidlessToken(_server.Issuer, _harness.Now)));
        }

        Assert.Equal(2, _server.JwksRequests);

        _harness.Time.Advance(_harness.Options.RemoteKeys.UnknownKeyCooldown / 2);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_forger.KidlessToken(_server.Issuer, _harness.Now)));
        }

        Assert.Equal(2, _server.JwksRequests);

        _harness.Time.Advance(_harness.Options.RemoteKeys.UnknownKeyCooldown / 2);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_forger.KidlessToken(_server.Issuer, _harness.Now)));
        }

        Assert.Equal(3, _server.JwksRequests);
    }

    [Fact]
    public async Task Kidless_token_against_a_published_set_of_6000_kidless_keys_fails_key_not_found_without_refreshing()
    {
        var keys = Enumerable.Range(0, 6_000).Select(i => new TestKey($"bulk{i}")).ToList();
        try
        {
            _server.PublishKidless([.. keys]);
            await using var harness = RemoteKeysHarness.Create(o =>
            {
                o.Authority = _server.BaseUrl;
                o.RemoteKeys.MaximumResponseSize = 4 * 1024 * 1024;
            });
            await harness.WarmUpAsync();
            Assert.Equal(6_000, Assert.Single(harness.Resolver.Sources).GetStatus().KeyCount);
            var requests = _server.JwksRequests;

            // Signed by a published key, yet more than the bound could have signed it: refused, and no fetch can help.
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(keys[^1].KidlessToken(_server.Issuer, harness.Now)));
                Assert.Equal(TokenFailureReason.KeyNotFound, await harness.ValidateAsync(_forger.KidlessToken(_server.Issuer, harness.Now)));
            }

            Assert.Equal(requests, _server.JwksRequests);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public async Task Bad_signature_under_a_known_kid_still_never_refreshes()
    {
        _server.Publish(_k1);
        await _harness.AdvanceAsync(_harness.Options.RemoteKeys.RefreshInterval);
        var requests = _server.JwksRequests;

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(TokenFailureReason.SignatureInvalid, await _harness.ValidateAsync(_forger.Token(_server.Issuer, _harness.Now, kid: "k1")));
        }

        Assert.Equal(requests, _server.JwksRequests);
    }
}

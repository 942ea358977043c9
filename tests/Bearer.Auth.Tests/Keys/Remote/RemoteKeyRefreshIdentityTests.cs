
namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// A refresh that republishes the same keys keeps the same key instances, so cached verifications (and warm crypto
/// contexts) survive it; a key that really changed or left the set still invalidates what it verified.
/// </summary>
public sealed class RemoteKeyRefreshIdentityTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private readonly TestKey _k1Replaced = new("k1");
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
        _k1Replaced.Dispose();
    }

    [Fact]
    public async Task Refresh_with_unchanged_keys_keeps_the_key_instances_and_cached_tokens()
    {
        var (harness, token) = await StartWithSeenTokenAsync();
        await using var _ = harness;
        var cached = await ValidateAsync(harness, token);

        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);
        Assert.Equal(2, _server.JwksRequests);
        var afterRefresh = await ValidateAsync(harness, token);

        Assert.Same(cached, afterRefresh);
        Assert.Same(cached.Key, afterRefresh.Key);
    }

    [Fact]
    public async Task Refresh_that_replaces_a_key_under_the_same_kid_drops_what_the_old_key_verified()
    {
        var (harness, token) = await StartWithSeenTokenAsync();
        await using var _ = harness;
        await ValidateAsync(harness, token);
        Assert.Equal(1, harness.Options.Validator!.RepeatTokens!.Count);

        _server.Publish(_k1Replaced);
        await harness.AdvanceAsync(harness.Options.RemoteKeys.RefreshInterval);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await harness.ValidateAsync(token));
        Assert.Equal(TokenFailureReason.None, await harness.ValidateAsync(_k1Replaced.Token(_server.Issuer, harness.Now)));
    }

    /// <summary>
    /// A scheme with the repeat-token cache on, pre-warmed, and a token of <c>k1</c> it has validated once (so the
    /// next validation admits it). ES256 signatures are randomized: reuse this exact token.
    /// </summary>
    private async Task<(RemoteKeysHarness Harness, string Token)> StartWithSeenTokenAsync()
    {
        var harness = RemoteKeysHarness.Create(o =>
        {
            o.Authority = _server.BaseUrl;
            o.RepeatTokenCacheSize = 16;

            // Refresh well within the test tokens' five-minute lifetime.
            o.RemoteKeys.MinimumRefreshInterval = TimeSpan.FromMinutes(1);
            o.RemoteKeys.RefreshInterval = TimeSpan.FromMinutes(2);
        });
        await harness.WarmUpAsync();
        var token = _k1.Token(_server.Issuer, harness.Now);
        await ValidateAsync(harness, token);
        return (harness, token);
    }

    private static async Task<ValidatedToken> ValidateAsync(RemoteKeysHarness harness, string token)
    {
        var result = await harness.Options.Validator!.ValidateAsync(token, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Failure.ToCode());
        return result.Token!;
    }
}

using Bearer.Auth.Tests.Keys.Remote;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// A stream of tokens naming <c>kid</c>s the provider never published costs the provider at most one key set fetch
/// per <c>UnknownKeyCooldown</c> (30 s), however many tokens and however fast, counted at a real loopback provider.
/// Each token is refused <c>key_not_found</c>; none reaches a signature check (its signature is 64 zero bytes).
/// </summary>
public sealed class UnknownKeyIdFetchBoundTests : IAsyncLifetime
{
    private const int Tokens = 10_000;
    private readonly TestKey _published = new("published");
    private JwksTestServer _server = null!;
    private RemoteKeysHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await JwksTestServer.StartAsync();
        _server.Publish(_published);
        _harness = RemoteKeysHarness.Create(o => o.Authority = _server.BaseUrl);
        await _harness.WarmUpAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
        _published.Dispose();
    }

    [Fact]
    public async Task Ten_thousand_distinct_unknown_kids_at_one_instant_cause_one_fetch()
    {
        Assert.Equal(1, _server.JwksRequests);
        var failures = new List<TokenFailureReason>(Tokens);

        // 100 at a time, concurrently: the single flight joins them, the cooldown turns the rest away.
        for (var batch = 0; batch < Tokens / 100; batch++)
        {
            var validations = Enumerable.Range(batch * 100, 100).Select(i => _harness.ValidateAsync(Forged("unknown-" + i)));
            failures.AddRange(await Task.WhenAll(validations));
        }

        Assert.All(failures, f => Assert.Equal(TokenFailureReason.KeyNotFound, f));
        Assert.Equal(2, _server.JwksRequests);
        Assert.Equal(2, _server.MetadataRequests);
    }

    /// <summary>
    /// 10,000 tokens over 500 s of the fake clock (one every 50 ms). The cooldown allows a fetch in each 30 s window the
    /// stream touches: at most ⌈500 / 30⌉ + 1 = 18. At least 16 were made (one per elapsed cooldown), so the bound is
    /// met by the cooldown, not by unknown kids never fetching.
    /// </summary>
    [Fact]
    public async Task Ten_thousand_unknown_kids_over_time_cause_at_most_one_fetch_per_cooldown()
    {
        var cooldown = _harness.Options.RemoteKeys.UnknownKeyCooldown;
        Assert.Equal(TimeSpan.FromSeconds(30), cooldown);
        var step = TimeSpan.FromMilliseconds(50);
        var elapsed = step * Tokens;
        var failures = 0;

        for (var i = 0; i < Tokens; i++)
        {
            failures += await _harness.ValidateAsync(Forged("unknown-" + i)) == TokenFailureReason.KeyNotFound ? 1 : 0;
            _harness.Time.Advance(step);
        }

        await _harness.IdleAsync();
        var fetches = _server.JwksRequests - 1;
        var windows = (int)Math.Ceiling(elapsed / cooldown);

        Assert.Equal(Tokens, failures);
        Assert.InRange(fetches, windows - 1, windows + 1);
        Assert.InRange(_server.MetadataRequests - 1, 0, windows + 1);
    }

    /// <summary>A well-formed token for the provider's issuer under <paramref name="kid"/>, with a signature nobody made.</summary>
    private string Forged(string kid) => RawJwt.Unsigned(
        $$"""{"alg":"ES256","typ":"JWT","kid":"{{kid}}"}""",
        TestJwt.Payload(_harness.Now, issuer: _server.Issuer),
        new byte[64]);
}

using BenchmarkDotNet.Attributes;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The same token presented again: the anchor is our validator without the repeat-token cache (full parse and
/// signature every time, the baseline), then with the cache, each without and with the library's in-memory revocation
/// store (10,000 other tokens revoked).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RepeatTokenBenchmarks
{
    private BenchTokens _tokens = null!;
    private BearerJwtValidator _anchor = null!;
    private BearerJwtValidator _cached = null!;
    private BearerJwtValidator _anchorRevocation = null!;
    private BearerJwtValidator _cachedRevocation = null!;

    [Params("HS256", "RS256", "ES256")]
    public string Alg { get; set; } = "RS256";

    [GlobalSetup]
    public void Setup()
    {
        _tokens = BenchTokens.Create(Alg);
        var revocation = RevokedList();
        _anchor = Create(cacheSize: 0, revocation: null);
        _cached = Create(cacheSize: 1024, revocation: null);
        _anchorRevocation = Create(cacheSize: 0, revocation);
        _cachedRevocation = Create(cacheSize: 1024, revocation);

        // Second sight admits the token; the third must be a hit.
        foreach (var validator in new[] { _anchor, _cached, _anchorRevocation, _cachedRevocation })
        {
            for (var i = 0; i < 3; i++)
            {
                BenchSetup.Check(BenchSetup.Wait(validator.ValidateAsync(_tokens.Token)).Succeeded, "repeat-token");
            }
        }

        BenchSetup.Check(_cached.RepeatTokens!.Count == 1 && _cachedRevocation.RepeatTokens!.Count == 1, "cache admission");
        BenchSetup.Wait(revocation.RevokeTokenAsync("jti-0", DateTimeOffset.UtcNow.AddHours(1)));
        BenchSetup.Check(BenchSetup.Wait(_cachedRevocation.ValidateAsync(_tokens.Token)).Failure == TokenFailureReason.TokenRevoked, "revocation on a cache hit");
        BenchSetup.Check(BenchSetup.Wait(_anchorRevocation.ValidateAsync(_tokens.Token)).Failure == TokenFailureReason.TokenRevoked, "revocation");
        _anchorRevocation = Create(cacheSize: 0, RevokedList());
        _cachedRevocation = Create(cacheSize: 1024, RevokedList());
        for (var i = 0; i < 3; i++)
        {
            BenchSetup.Check(BenchSetup.Wait(_cachedRevocation.ValidateAsync(_tokens.Token)).Succeeded, "repeat-token with revocation");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _tokens.Dispose();

    [Benchmark(Baseline = true)]
    public TokenValidationResult Anchor() => BenchSetup.Wait(_anchor.ValidateAsync(_tokens.Token));

    [Benchmark]
    public TokenValidationResult Cached() => BenchSetup.Wait(_cached.ValidateAsync(_tokens.Token));

    [Benchmark]
    public TokenValidationResult Anchor_Revocation() => BenchSetup.Wait(_anchorRevocation.ValidateAsync(_tokens.Token));

    [Benchmark]
    public TokenValidationResult Cached_Revocation() => BenchSetup.Wait(_cachedRevocation.ValidateAsync(_tokens.Token));

    /// <summary>10,000 revoked jti values, none of them the benchmark token's.</summary>
    private static InMemoryTokenRevocationStore RevokedList()
    {
        var fresh = new InMemoryTokenRevocationStore();
        var until = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 1; i <= 10_000; i++)
        {
            BenchSetup.Wait(fresh.RevokeTokenAsync("jti-" + i, until));
        }

        return fresh;
    }

    private BearerJwtValidator Create(int cacheSize, InMemoryTokenRevocationStore? revocation) =>
        new(BenchSetup.OurSettings(_tokens, cacheSize, revocation));
}

using BenchmarkDotNet.Attributes;
using Bearer.Auth.Redis;
using StackExchange.Redis;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// The per-request cost of the Redis revocation store: one check of a validated token against the local view, with
/// 100,000 live revocations (98,000 <c>jti</c>, 1,000 <c>sid</c>, 1,000 <c>sub</c>, so all three lookups run), against
/// the in-memory store holding the same entries (the anchor); <see cref="Kinds"/> <c>jti</c> revokes 100,000 token ids
/// only (one lookup per check). Needs <c>redis-server</c> on PATH: it starts one on a
/// free port of 127.0.0.1, without persistence, and stops it after.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class RedisRevocationBenchmarks
{
    private const int Entries = 100_000;

    private BenchRedisServer? _redis;
    private ConnectionMultiplexer _multiplexer = null!;
    private RedisTokenRevocationStore _store = null!;
    private InMemoryTokenRevocationStore _memory = null!;
    private ValidatedToken _live = null!;
    private ValidatedToken _revoked = null!;

    /// <summary>Which kinds the 100,000 entries are: <c>jti</c> only, or <c>jti+sid+sub</c> (98,000, 1,000, 1,000).</summary>
    [Params("jti", "jti+sid+sub")]
    public string Kinds { get; set; } = "jti";

    [GlobalSetup]
    public void Setup()
    {
        using var tokens = BenchTokens.Create("HS256");
        var validator = new BearerJwtValidator(BenchSetup.OurSettings(tokens));
        _live = BenchSetup.Wait(validator.ValidateAsync(tokens.Token)).Token!;
        _revoked = BenchSetup.Wait(validator.ValidateAsync(tokens.Mint("jti-revoked"))).Token!;

        _redis = BenchRedisServer.Start();
        _multiplexer = ConnectionMultiplexer.Connect(_redis.Configuration);
        _store = new RedisTokenRevocationStore(_multiplexer, "bench:");
        _memory = new InMemoryTokenRevocationStore();

        var until = DateTimeOffset.UtcNow.AddHours(1);
        for (var batch = 0; batch < Entries; batch += 1_000)
        {
            var writes = new List<Task>(2_000);
            for (var i = batch; i < batch + 1_000; i++)
            {
                var kind = Kinds == "jti" ? 0 : i;
                var key = kind < 98_000 ? "jti-" + (i + 1) : kind < 99_000 ? "sid-" + i : "user-" + i;
                writes.Add(Revoke(_store, key, kind, until));
                writes.Add(Revoke(_memory, key, kind, until));
            }

            Task.WaitAll(writes);
        }

        BenchSetup.Wait(_store.RevokeTokenAsync("jti-revoked", until));
        BenchSetup.Wait(_memory.RevokeTokenAsync("jti-revoked", until));
        BenchSetup.Check(_store.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(30), default).GetAwaiter().GetResult(), "view confirmed");
        BenchSetup.Check(_store.ViewCount == Entries + 1, "view holds every entry");
        BenchSetup.Check(Redis_NotRevoked() == TokenRevocationStatus.NotRevoked && Redis_Revoked() == TokenRevocationStatus.Revoked, "redis answers");
        BenchSetup.Check(InMemory_NotRevoked() == TokenRevocationStatus.NotRevoked, "in-memory answers");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _multiplexer.Dispose();
        _redis?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public TokenRevocationStatus InMemory_NotRevoked() => Answer(_memory.CheckAsync(_live, default));

    [Benchmark]
    public TokenRevocationStatus Redis_NotRevoked() => Answer(_store.CheckAsync(_live, default));

    [Benchmark]
    public TokenRevocationStatus Redis_Revoked() => Answer(_store.CheckAsync(_revoked, default));

    /// <summary>The answer of a check that completes synchronously, as both stores' do (a pending one would be a bug here).</summary>
    private static TokenRevocationStatus Answer(ValueTask<TokenRevocationStatus> check) =>
        check.IsCompletedSuccessfully ? check.Result : throw new InvalidOperationException("The check did not answer synchronously.");

    private static Task Revoke(ITokenRevocationStore store, string key, int i, DateTimeOffset until) =>
        i < 98_000 ? store.RevokeTokenAsync(key, until).AsTask()
        : i < 99_000 ? store.RevokeSessionAsync(key, until).AsTask()
        : store.RevokeSubjectAsync(key, until).AsTask();
}

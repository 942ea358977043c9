using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// <see cref="RedisRefreshTokenStore"/> when its Redis goes away: every operation throws
/// <see cref="TokenStoreUnavailableException"/> (not a hang, not Redis's own exception), which
/// <see cref="BearerJwtRefreshTokens"/> lets through; and sessions written before a restart are there after it.
/// Each test has its own server, since it kills it.
/// </summary>
public sealed class RedisRefreshTokenStoreOutageTests
{
    private const string Client = "web-app";

    /// <summary>Far beyond the command timeout (5 s): a call that has not answered by then hangs.</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_operation_on_a_killed_redis_throws_store_unavailable_and_the_refresh_service_lets_it_through()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = RedisFixture.Connect(server);
        var store = new RedisRefreshTokenStore(connection, new FakeTimeProvider(Start));
        var tokens = new BearerJwtRefreshTokens(store, Microsoft.Extensions.Options.Options.Create(new BearerJwtRefreshTokenOptions()));
        var started = await tokens.StartSessionAsync("alice", Client, Ct);

        await server.KillAsync();

        await AssertUnavailable(() => tokens.RefreshAsync(started.RefreshToken, Client, Ct).AsTask());
        await AssertUnavailable(() => tokens.StartSessionAsync("alice", Client, Ct).AsTask());
        await AssertUnavailable(() => tokens.RevokeSessionAsync(started.Session!.SessionId, Ct).AsTask());
        await AssertUnavailable(() => tokens.RevokeSubjectAsync("alice", Ct).AsTask());
        await AssertUnavailable(() => store.RotateAsync(new RefreshTokenRotationRequest("h", Client, "h2", new byte[1], TimeSpan.FromDays(1), TimeSpan.Zero), Ct).AsTask());
    }

    [Fact]
    public async Task A_redis_that_never_answered_makes_the_store_unavailable_from_the_first_call()
    {
        await using var connection = new RedisConnection(Microsoft.Extensions.Options.Options.Create(new BearerJwtRedisOptions { Configuration = $"127.0.0.1:{LoopbackPorts.Free()},connectTimeout=500" }));
        var tokens = new BearerJwtRefreshTokens(new RedisRefreshTokenStore(connection, timeProvider: null), Microsoft.Extensions.Options.Options.Create(new BearerJwtRefreshTokenOptions()));

        await AssertUnavailable(() => tokens.StartSessionAsync("alice", Client, Ct).AsTask());
        await AssertUnavailable(() => tokens.RefreshAsync("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Client, Ct).AsTask());
    }

    [Fact]
    public async Task Sessions_survive_a_restart_of_redis()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = RedisFixture.Connect(server);
        var time = new FakeTimeProvider(Start);
        var tokens = new BearerJwtRefreshTokens(new RedisRefreshTokenStore(connection, time), Microsoft.Extensions.Options.Options.Create(new BearerJwtRefreshTokenOptions()));
        var t0 = await tokens.StartSessionAsync("alice", Client, Ct);
        var t1 = await tokens.RefreshAsync(t0.RefreshToken, Client, Ct);
        var other = await tokens.StartSessionAsync("bob", Client, Ct);

        await server.KillAsync();
        await server.RestartAsync();
        await WaitUntilConnected(await connection.GetMultiplexerAsync());

        // The sealed successor survived (a retry gets it), the rotation state too (t1 is current, t0 then a reuse),
        // and so did the subject index; and the scripts, gone from the restarted server, are loaded again.
        Assert.Equal(t1.RefreshToken, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).RefreshToken);
        var t2 = await tokens.RefreshAsync(t1.RefreshToken, Client, Ct);
        Assert.True(t2.Succeeded, t2.FailureCode);
        Assert.Equal(RefreshTokenFailure.Reused, (await tokens.RefreshAsync(t0.RefreshToken, Client, Ct)).Failure);
        Assert.Equal(other.Session!.SessionId, Assert.Single(await tokens.RevokeSubjectAsync("bob", Ct)).SessionId);
    }

    private static async Task AssertUnavailable(Func<Task> call)
    {
        var thrown = await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => call().WaitAsync(HangLimit, Ct));
        Assert.IsAssignableFrom<RedisException>(thrown.InnerException);
        Assert.StartsWith("The refresh-token store in Redis is unavailable: ", thrown.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntilConnected(IConnectionMultiplexer multiplexer)
    {
        for (var attempt = 0; attempt < 200 && !multiplexer.IsConnected; attempt++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.True(multiplexer.IsConnected, "the multiplexer did not reconnect within 20 s");
    }
}

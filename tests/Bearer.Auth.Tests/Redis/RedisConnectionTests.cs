using System.Net.Sockets;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>The shared connection: a connect that failed outright is not kept, so the stores recover once it succeeds.</summary>
public sealed class RedisConnectionTests : RedisRevocationTests
{
    [Fact]
    public async Task A_connect_that_failed_once_is_tried_again_and_the_revocation_store_then_follows_redis()
    {
        var attempts = 0;
        await using var connection = new RedisConnection(
            () => Interlocked.Increment(ref attempts) == 1
                ? Task.FromException<IConnectionMultiplexer>(new SocketException((int)SocketError.HostNotFound))
                : Instances.ConnectAsync(Server.Port),
            Instances.Prefix);
        await using var store = new RedisTokenRevocationStore(connection, RevocationInstances.Fast(), new FakeTimeProvider(RevocationInstances.Start), null, null);

        Assert.True(await store.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), Ct), "The store gave up after the failed connect.");
        Assert.True(attempts >= 2);
        await store.RevokeTokenAsync("j-1", RevocationInstances.Start.AddHours(1), Ct);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, await RevocationInstances.Token("\"jti\":\"j-1\"")));
    }

    [Fact]
    public async Task A_write_during_a_failed_connect_throws_unavailable_and_the_next_write_connects()
    {
        var attempts = 0;
        var failing = true;
        await using var connection = new RedisConnection(
            () =>
            {
                Interlocked.Increment(ref attempts);
                return Volatile.Read(ref failing)
                    ? Task.FromException<IConnectionMultiplexer>(new SocketException((int)SocketError.HostNotFound))
                    : Instances.ConnectAsync(Server.Port);
            },
            Instances.Prefix);
        var slow = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromMinutes(5), HeartbeatInterval = TimeSpan.FromMinutes(1) };
        await using var store = new RedisTokenRevocationStore(connection, slow, new FakeTimeProvider(RevocationInstances.Start), null, null);

        var error = await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.RevokeTokenAsync("j-1", RevocationInstances.Start.AddHours(1), Ct).AsTask());
        Assert.IsType<SocketException>(error.InnerException);

        Volatile.Write(ref failing, false);
        await store.RevokeTokenAsync("j-1", RevocationInstances.Start.AddHours(1), Ct);
        Assert.True(attempts >= 2);
    }
}

using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// Redis's data going back under the same epoch: a restart from an append-only file that lost its last second, a
/// failover to a lagging replica, an evicted key. Redis then hands out versions the views already hold other entries
/// at; no instance may drop the revocations written from then on as "already seen", nor keep trusting a view Redis no
/// longer matches.
/// </summary>
public sealed class RedisTokenRevocationWentBackTests : RedisRevocationTests
{
    private static DateTimeOffset Start => RevocationInstances.Start;

    /// <summary>No heartbeat within a test: only messages (or an explicit heartbeat) move the view.</summary>
    private static BearerJwtRedisRevocationOptions NoHeartbeat =>
        new() { UnavailableAfter = TimeSpan.FromMinutes(10), HeartbeatInterval = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Revocations_written_after_redis_lost_its_last_writes_reach_an_instance_whose_view_had_them()
    {
        var admin = await Instances.ConnectAsync(Server.Port);
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), NoHeartbeat);
        var b = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), NoHeartbeat);
        for (var i = 1; i <= 3; i++)
        {
            await a.RevokeTokenAsync($"j-{i}", Start.AddHours(1), Ct);
        }

        await RevocationInstances.UntilAsync(b, await Jti("j-3"), TokenRevocationStatus.Revoked);
        Assert.Equal(3, b.Version);

        await LoseWritesAfterAsync(admin, 1);

        // Redis hands out versions 2 and 3 again, then 4: B held j-2 and j-3 there.
        for (var i = 4; i <= 6; i++)
        {
            await a.RevokeTokenAsync($"j-{i}", Start.AddHours(1), Ct);
        }

        foreach (var store in new[] { b, a })
        {
            for (var i = 4; i <= 6; i++)
            {
                await RevocationInstances.UntilAsync(store, await Jti($"j-{i}"), TokenRevocationStatus.Revoked);
            }

            // Rebuilt from what Redis holds: every instance agrees with it (what Redis lost is lost everywhere).
            Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, await Jti("j-1")));
            Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, await Jti("j-2")));
            Assert.Equal(4, store.Version);
            Assert.True(store.IsTrusted);
        }
    }

    [Fact]
    public async Task A_heartbeat_rebuilds_a_view_whose_version_redis_holds_another_entry_at_or_no_longer_reaches()
    {
        var admin = await Instances.ConnectAsync(Server.Port);
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), NoHeartbeat);
        var deaf = await Instances.ConnectAsync(Server.Port);
        var b = await Instances.StartedStoreAsync(deaf, NoHeartbeat);
        await deaf.GetSubscriber().UnsubscribeAllAsync(); // B hears nothing: only its heartbeat tells it
        for (var i = 1; i <= 3; i++)
        {
            await a.RevokeTokenAsync($"j-{i}", Start.AddHours(1), Ct);
        }

        await b.HeartbeatAsync();
        Assert.Equal(3, b.Version);

        // Gone back to 1, then written past B's version: Redis is at 4 again, with other entries at 2 and 3.
        await LoseWritesAfterAsync(admin, 1);
        for (var i = 4; i <= 6; i++)
        {
            await a.RevokeTokenAsync($"j-{i}", Start.AddHours(1), Ct);
        }

        await b.HeartbeatAsync();
        for (var i = 4; i <= 6; i++)
        {
            Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, await Jti($"j-{i}")));
        }

        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, await Jti("j-2")));
        Assert.Equal(4, b.Version);

        // Gone back below B's version with nothing written since: B follows Redis down.
        await LoseWritesAfterAsync(admin, 2);
        await b.HeartbeatAsync();
        Assert.Equal(2, b.Version);
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, await Jti("j-5")));
        Assert.True(b.IsTrusted);
    }

    [Fact]
    public async Task A_write_after_redis_evicted_the_version_counter_starts_a_new_epoch_that_every_instance_follows()
    {
        var admin = await Instances.ConnectAsync(Server.Port);
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port));
        var b = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port));
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await a.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, await Jti("j-2"), TokenRevocationStatus.Revoked);
        var epoch = b.Epoch;

        await admin.GetDatabase().KeyDeleteAsync(Instances.Prefix + "rv:version");
        await a.RevokeTokenAsync("j-3", Start.AddHours(1), Ct);

        // Not version 1 again under the old epoch: a new epoch, which every view rebuilds to.
        var current = (string?)await admin.GetDatabase().StringGetAsync(Instances.Prefix + "rv:epoch");
        Assert.NotEqual(epoch, current);
        await RevocationInstances.UntilAsync(b, await Jti("j-3"), TokenRevocationStatus.Revoked);
        Assert.Equal(current, b.Epoch);
        Assert.Equal(current, a.Epoch);
        Assert.Equal(1, b.Version);
    }

    private static Task<ValidatedToken> Jti(string id) => RevocationInstances.Token($"\"jti\":\"{id}\"");

    /// <summary>What an append-only file that lost its tail brings back: the counter at <paramref name="version"/> and no later entry.</summary>
    private async Task LoseWritesAfterAsync(IConnectionMultiplexer admin, long version)
    {
        var database = admin.GetDatabase();
        var prefix = Instances.Prefix + "rv:";
        var lost = await database.SortedSetRangeByScoreAsync(prefix + "log", version, double.PositiveInfinity, Exclude.Start);
        Assert.NotEmpty(lost);
        await database.SortedSetRemoveAsync(prefix + "log", lost);
        await database.SortedSetRemoveAsync(prefix + "until", lost);
        await database.StringSetAsync(prefix + "version", version, expiry: null, keepTtl: true);
    }
}

using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Revocation;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// The revocation contract against a real Redis (each store answers from its view, written through Redis), and what
/// Redis holds: entries that end, keys that expire, a view loaded at start and caught up when a message is lost.
/// </summary>
public sealed class RedisTokenRevocationStoreTests : TokenRevocationStoreContract, IAsyncLifetime
{
    private readonly RevocationInstances _instances = new();
    private RedisServer? _server;
    private IConnectionMultiplexer? _multiplexer;

    private IConnectionMultiplexer Multiplexer => _multiplexer ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _multiplexer = await _instances.ConnectAsync(_server.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _instances.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Every_key_expires_with_the_latest_revocation_it_holds()
    {
        var time = new FakeTimeProvider(Start);
        var store = await _instances.StartedStoreAsync(Multiplexer, time: time);

        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await store.RevokeSessionAsync("s-1", Start.AddMinutes(10), Ct);

        var keys = Keys();
        Assert.Equal(["epoch", "log", "until", "version"], keys.Select(k => k.ToString()[(_instances.Prefix.Length + 3)..]).Order());
        foreach (var key in keys)
        {
            // The durations are measured on the store's clock: an hour from its now, whatever Redis's clock shows.
            var ttl = await Multiplexer.GetDatabase().KeyTimeToLiveAsync(key);
            Assert.NotNull(ttl);
            Assert.InRange(ttl.Value, TimeSpan.FromMinutes(59), TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public async Task Ended_revocations_are_trimmed_from_redis_by_later_writes()
    {
        var time = new FakeTimeProvider(Start);
        var store = await _instances.StartedStoreAsync(Multiplexer, time: time);
        await store.RevokeTokenAsync("j-1", Start.AddMinutes(1), Ct);
        await store.RevokeSubjectAsync("user-1", Start.AddMinutes(2), Ct);
        Assert.Equal(2, await Multiplexer.GetDatabase().SortedSetLengthAsync(_instances.Prefix + "rv:log"));

        time.Advance(TimeSpan.FromMinutes(3));
        await store.RevokeSessionAsync("s-1", time.GetUtcNow().AddMinutes(5), Ct);

        var db = Multiplexer.GetDatabase();
        var log = await db.SortedSetRangeByRankAsync(_instances.Prefix + "rv:log");
        Assert.Equal([$"3|s|0|{time.GetUtcNow().AddMinutes(5).UtcTicks}|s-1"], log.Select(v => v.ToString()));
        Assert.Equal(1, await db.SortedSetLengthAsync(_instances.Prefix + "rv:until"));
        Assert.InRange((await db.KeyTimeToLiveAsync(_instances.Prefix + "rv:epoch"))!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task A_store_started_later_loads_the_revocations_already_in_redis_before_it_answers()
    {
        var time = new FakeTimeProvider(Start);
        var first = await _instances.StartedStoreAsync(Multiplexer, time: time);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await first.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await first.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        var late = _instances.Store(await _instances.ConnectAsync(_server!.Port), time: new FakeTimeProvider(Start.AddMinutes(30)));

        // Once confirmed, it holds what was written, with the writer's cut-off.
        var revoked = await RevocationInstances.Token("\"jti\":\"j-1\"");
        Assert.True(await late.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(late, revoked));
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(late, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1780000000.25")));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(late, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1780000000.75")));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(late, await RevocationInstances.Token("\"jti\":\"j-2\"")));
    }

    [Fact]
    public async Task Until_redis_first_confirms_the_view_every_check_answers_unavailable()
    {
        // Nothing listens on that port: the store starts, and cannot tell.
        var store = _instances.Store(await _instances.ConnectAsync(LoopbackPorts.Free()));

        Assert.False(await store.WaitForFirstConfirmationAsync(TimeSpan.FromMilliseconds(300), Ct));
        Assert.Equal(TokenRevocationStatus.Unavailable, await RevocationInstances.Check(store, await RevocationInstances.Token("\"jti\":\"j-1\"")));
        Assert.Null(store.ViewAge);
        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct).AsTask());
    }

    [Fact]
    public async Task A_lost_message_is_read_from_the_log_when_the_next_one_shows_the_gap()
    {
        // Heartbeats far apart: only the gap in the versions can bring the lost entry in.
        var slow = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromMinutes(30) };
        var writer = await _instances.StartedStoreAsync(Multiplexer, slow);
        var reader = await _instances.StartedStoreAsync(await _instances.ConnectAsync(_server!.Port), slow);

        await writer.RevokeTokenAsync("first", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(reader, await RevocationInstances.Token("\"jti\":\"first\""), TokenRevocationStatus.Revoked);
        var epoch = reader.Epoch;

        // An entry written as the store writes it, but published where nobody listens: its message is lost.
        await Multiplexer.GetDatabase().ScriptEvaluateAsync(
            RevocationScripts.Write,
            [_instances.Prefix + "rv:epoch", _instances.Prefix + "rv:version", _instances.Prefix + "rv:log", _instances.Prefix + "rv:until"],
            ["unused", "t", 0, Start.AddHours(1).UtcTicks, "lost", Start.ToUnixTimeMilliseconds(), Start.AddHours(1).ToUnixTimeMilliseconds(), "elsewhere"]);
        var lost = await RevocationInstances.Token("\"jti\":\"lost\"");
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(reader, lost));

        await writer.RevokeTokenAsync("next", Start.AddHours(1), Ct);

        await RevocationInstances.UntilAsync(reader, await RevocationInstances.Token("\"jti\":\"next\""), TokenRevocationStatus.Revoked);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(reader, lost));
        Assert.Equal(3, reader.Version);
        Assert.Equal(epoch, reader.Epoch);
    }

    [Fact]
    public async Task A_view_never_keeps_an_entry_redis_lost_even_one_its_own_instance_wrote()
    {
        // Heartbeats far apart: each step below is driven by the test.
        var slow = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromHours(1), HeartbeatInterval = TimeSpan.FromMinutes(30) };
        var store = await _instances.StartedStoreAsync(Multiplexer, slow);
        var first = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var second = await RevocationInstances.Token("\"jti\":\"j-2\"");
        var admin = Multiplexer.GetServer(Multiplexer.GetEndPoints()[0]);
        Assert.Equal("", store.Epoch);

        // The first write starts an epoch: the writer's view moves to it with the entry.
        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, first));
        var epoch = store.Epoch;
        Assert.NotEmpty(epoch);

        // Redis loses everything; the next write starts another epoch: the view is rebuilt, not added to.
        await admin.FlushAllDatabasesAsync();
        await store.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, second));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, first));
        Assert.NotEqual(epoch, store.Epoch);

        // Redis loses everything again, with no write after: the next heartbeat empties the view.
        await admin.FlushAllDatabasesAsync();
        await store.HeartbeatAsync();
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, second));
        Assert.Equal("", store.Epoch);
        Assert.Equal(0, store.ViewCount);
    }

    [Fact]
    public async Task An_unreadable_message_on_the_channel_is_ignored_and_the_store_keeps_following()
    {
        var writer = await _instances.StartedStoreAsync(Multiplexer);
        var reader = await _instances.StartedStoreAsync(await _instances.ConnectAsync(_server!.Port));
        var subscriber = Multiplexer.GetSubscriber();
        var channel = RedisChannel.Literal(_instances.Prefix + "rv:events");

        foreach (var garbage in new[] { "", "no bars", "epoch|x|t|0|1|j-1", "epoch|1|q|0|1|j-1", "epoch|1|t|0|1|", "|1|t|0|1|j-1" })
        {
            await subscriber.PublishAsync(channel, garbage);
        }

        await writer.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(reader, await RevocationInstances.Token("\"jti\":\"j-2\""), TokenRevocationStatus.Revoked);
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(reader, await RevocationInstances.Token("\"jti\":\"j-1\"")));
    }

    [Theory]
    [InlineData(0, 200, "UnavailableAfter")]
    [InlineData(3_600_001, 200, "UnavailableAfter")]
    [InlineData(1000, 0, "HeartbeatInterval")]
    [InlineData(1000, 501, "HeartbeatInterval")]
    public void Out_of_range_options_are_refused_naming_the_setting_and_the_value(int unavailableAfterMs, int heartbeatMs, string setting)
    {
        var options = new BearerJwtRedisRevocationOptions
        {
            UnavailableAfter = TimeSpan.FromMilliseconds(unavailableAfterMs),
            HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs),
        };

        var error = Assert.Throws<ArgumentException>(() => new RedisTokenRevocationStore(Multiplexer, _instances.Prefix, options));

        Assert.Contains("Revocation." + setting, error.Message, StringComparison.Ordinal);
        var value = setting == "UnavailableAfter" ? options.UnavailableAfter : options.HeartbeatInterval;
        Assert.Contains("it was " + value, error.Message, StringComparison.Ordinal);
    }

    protected override ITokenRevocationStore CreateStore(FakeTimeProvider time) =>

        // The contract's API is synchronous: wait here for the first confirmation, as start-up does.
        _instances.StartedStoreAsync(Multiplexer, new BearerJwtRedisRevocationOptions(), time).GetAwaiter().GetResult();

    protected override int? CountOf(ITokenRevocationStore store) => ((RedisTokenRevocationStore)store).ViewCount;

    private RedisKey[] Keys() =>
        [.. Multiplexer.GetServer(Multiplexer.GetEndPoints()[0]).Keys(pattern: _instances.Prefix + "*")];
}

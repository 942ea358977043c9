using System.Diagnostics;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// Partitions and outages, with a bound of one second: an instance cut off from Redis stops answering (fail closed)
/// or answers from its stale view, counted and logged (fail open); when Redis is back it has every revocation made
/// meanwhile before it answers again; a revocation asked for while Redis is down fails and is applied nowhere; Redis
/// restarted with its data keeps every revocation, restarted empty makes every view start again from what it holds.
/// </summary>
public sealed class RedisTokenRevocationOutageTests : IAsyncLifetime
{
    private readonly RevocationInstances _instances = new();
    private RedisServer? _server;
    private TcpProxy? _proxy;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Start => RevocationInstances.Start;

    private RedisServer Server => _server ?? throw new InvalidOperationException("Not initialised.");

    private TcpProxy Proxy => _proxy ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync()
    {
        _server = await RedisServer.StartAsync();
        _proxy = new TcpProxy(_server.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _instances.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_partitioned_instance_fails_closed_past_the_bound_and_refuses_everything_revoked_meanwhile_once_back()
    {
        var a = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var b = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Proxy.Port));
        var bystander = await RevocationInstances.Token("\"jti\":\"j-other\",\"sid\":\"s-other\",\"sub\":\"user-other\",\"iat\":1779999000");
        var byId = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var bySession = await RevocationInstances.Token("\"sid\":\"s-1\"");
        var bySubject = await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1779999000");
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, byId));

        Proxy.Cut();

        // Redis is up for A: these are written and published, and B, cut off, loses the messages.
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await a.RevokeSessionAsync("s-1", Start.AddHours(1), Ct);
        await a.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        // Until the bound B may answer from its view (it cannot know); past it, it answers nothing, for any token.
        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.Unavailable, byId, TokenRevocationStatus.NotRevoked);
        foreach (var token in new[] { bystander, byId, bySession, bySubject })
        {
            Assert.Equal(TokenRevocationStatus.Unavailable, await RevocationInstances.Check(b, token));
        }

        Proxy.Restore();

        // Back: the first answer that is not "unavailable" already knows every revocation made during the cut.
        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.Revoked, byId, TokenRevocationStatus.Unavailable);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, bySession));
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, bySubject));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, bystander));

        // And it follows pub/sub again.
        await a.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, await RevocationInstances.Token("\"jti\":\"j-2\""), TokenRevocationStatus.Revoked);
    }

    [Fact]
    public async Task A_connection_that_stays_open_but_never_answers_fails_closed_past_the_bound_and_writes_time_out()
    {
        var a = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var b = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Proxy.Port));
        var revoked = await RevocationInstances.Token("\"jti\":\"j-1\"");

        // No reset, no closed socket: the client believes it is connected; only the missing confirmations tell.
        Proxy.Stall();
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);

        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.Unavailable, revoked, TokenRevocationStatus.NotRevoked);
        var error = await Assert.ThrowsAsync<TokenStoreUnavailableException>(
            () => b.RevokeTokenAsync("j-2", Start.AddHours(1), Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
        Assert.IsType<RedisTimeoutException>(error.InnerException);

        Proxy.Restore();

        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.Revoked, revoked, TokenRevocationStatus.Unavailable);
    }

    [Fact]
    public async Task The_view_answers_until_exactly_UnavailableAfter_past_its_last_confirmation_and_not_from_then()
    {
        var trustClock = new FakeTimeProvider(Start);
        var options = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromSeconds(5), HeartbeatInterval = TimeSpan.FromSeconds(1) };
        var multiplexer = await _instances.ConnectAsync(Server.Port);
        var store = _instances.Store(multiplexer, options, trustClock: trustClock);
        Assert.True(await store.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), Ct));
        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        var revoked = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var other = await RevocationInstances.Token("\"jti\":\"j-2\"");

        // No heartbeat can confirm it again from here on.
        await Server.KillAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => multiplexer.GetDatabase().PingAsync());

        trustClock.Advance(options.UnavailableAfter - TimeSpan.FromMilliseconds(1));
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, revoked));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, other));

        trustClock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TokenRevocationStatus.Unavailable, await RevocationInstances.Check(store, revoked));
        Assert.Equal(TokenRevocationStatus.Unavailable, await RevocationInstances.Check(store, other));
    }

    [Fact]
    public async Task Failing_open_a_partitioned_instance_answers_from_its_stale_view_counts_each_answer_and_logs_the_outage_once()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var failOpen = new MetricCollector<long>(meterFactory, BearerJwtDefaults.TelemetryName, "bearer_auth.revocation.fail_open");
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));
        var a = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var b = _instances.Store(await _instances.ConnectAsync(Proxy.Port), RevocationInstances.Fast(failOpen: true), loggerFactory: loggerFactory, meterFactory: meterFactory);
        Assert.True(await b.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), Ct));
        var before = await RevocationInstances.Token("\"jti\":\"j-before\"");
        var during = await RevocationInstances.Token("\"jti\":\"j-during\"");
        var bystander = await RevocationInstances.Token("\"jti\":\"j-other\"");
        await a.RevokeTokenAsync("j-before", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, before, TokenRevocationStatus.Revoked);
        Assert.Empty(failOpen.GetMeasurementSnapshot());

        Proxy.Cut();
        await a.RevokeTokenAsync("j-during", Start.AddHours(1), Ct);
        await WaitUntilAsync(() => !b.IsTrusted, "B's view still trusted");

        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, before));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, during)); // the price of failing open
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, bystander));
        Assert.Equal(3, failOpen.GetMeasurementSnapshot().Sum(m => m.Value));

        for (var i = 0; i < 3; i++)
        {
            await b.HeartbeatAsync(); // each fails: the outage is still logged once
        }

        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RevocationFailingOpen");
        Assert.DoesNotContain(logs.GetSnapshot(), r => r.Id.Name == "RevocationViewUntrusted");

        Proxy.Restore();
        await WaitUntilAsync(() => b.IsTrusted, "B's view not trusted again");
        var counted = failOpen.GetMeasurementSnapshot().Sum(m => m.Value);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, during));
        Assert.Equal(counted, failOpen.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "RevocationViewTrustedAgain");
    }

    [Fact]
    public async Task A_revocation_asked_for_while_redis_is_down_throws_and_is_enforced_nowhere_later()
    {
        var a = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var b = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var token = await RevocationInstances.Token("\"jti\":\"j-1\",\"sid\":\"s-1\",\"sub\":\"user-1\",\"iat\":1779999000");

        await Server.KillAsync();

        // Each call ends (no hang: the outer wait fails the test instead) with the clear exception, Redis's inside.
        foreach (var revoke in new Func<ValueTask>[]
        {
            () => a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct),
            () => a.RevokeSessionAsync("s-1", Start.AddHours(1), Ct),
            () => a.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct),
        })
        {
            var error = await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => revoke().AsTask().WaitAsync(TimeSpan.FromSeconds(30), Ct));
            Assert.True(error.InnerException is RedisConnectionException or RedisTimeoutException, error.InnerException?.GetType().Name);
            Assert.Contains("revocation store", error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, a.ViewCount);
        Assert.Equal(0, a.InFlightWrites);

        await Server.RestartAsync();

        // Back and confirmed: nothing was queued to be written later.
        await RevocationInstances.UntilAsync(a, token, TokenRevocationStatus.NotRevoked);
        await RevocationInstances.UntilAsync(b, token, TokenRevocationStatus.NotRevoked);
        await a.HeartbeatAsync();
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(a, token));
        Assert.Equal(0, a.Version);
    }

    [Fact]
    public async Task A_revocation_refused_by_a_redis_out_of_memory_throws_unavailable_not_a_server_fault_and_is_applied_nowhere()
    {
        var multiplexer = await _instances.ConnectAsync(Server.Port);
        var a = await _instances.StartedStoreAsync(multiplexer);
        var token = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var server = multiplexer.GetServer(multiplexer.GetEndPoints()[0]);

        // maxmemory reached under noeviction: Redis answers every write with -OOM until memory is freed, the first
        // revocation (which starts an epoch) as much as any later one.
        await server.ConfigSetAsync("maxmemory", "1");
        var first = await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => a.RevokeTokenAsync("j-0", Start.AddHours(1), Ct).AsTask());
        Assert.StartsWith("OOM", Assert.IsType<RedisServerException>(first.InnerException).Message, StringComparison.Ordinal);
        Assert.Empty(RedisFixture.Keys(multiplexer, _instances.Prefix));
        await server.ConfigSetAsync("maxmemory", "0");
        await a.RevokeTokenAsync("j-0", Start.AddHours(1), Ct);
        await server.ConfigSetAsync("maxmemory", "1");

        var error = await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct).AsTask());
        Assert.StartsWith("OOM", Assert.IsType<RedisServerException>(error.InnerException).Message, StringComparison.Ordinal);
        Assert.Contains("revocation store", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, a.ViewCount);
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(a, token));

        // Memory back: the retried call goes through.
        await server.ConfigSetAsync("maxmemory", "0");
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(a, token));
    }

    [Fact]
    public async Task A_write_that_starts_a_new_epoch_stops_the_view_answering_when_the_view_cannot_be_rebuilt_after_it()
    {
        var real = await _instances.ConnectAsync(Server.Port);
        var syncFails = false;
        var database = Substitute.For<IDatabase>();
        database.ScriptEvaluateAsync(Arg.Any<string>(), Arg.Any<RedisKey[]?>(), Arg.Any<RedisValue[]?>(), Arg.Any<CommandFlags>())
            .Returns(call => Volatile.Read(ref syncFails) && call.ArgAt<string>(0) == RevocationScripts.Sync
                ? Task.FromException<RedisResult>(new TimeoutException("Redis did not answer after the write."))
                : real.GetDatabase().ScriptEvaluateAsync(call.ArgAt<string>(0), call.ArgAt<RedisKey[]?>(1), call.ArgAt<RedisValue[]?>(2), call.ArgAt<CommandFlags>(3)));
        var multiplexer = Substitute.For<IConnectionMultiplexer>();
        multiplexer.GetDatabase(Arg.Any<int>(), Arg.Any<object?>()).Returns(database);
        multiplexer.GetSubscriber(Arg.Any<object?>()).Returns(real.GetSubscriber());

        // A bound far away: only the failed rebuild can take trust away within this test.
        var options = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromMinutes(5), HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        var store = _instances.Store(multiplexer, options);
        Assert.True(await store.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), Ct));
        await store.RevokeTokenAsync("j-0", Start.AddHours(1), Ct);
        var epoch = store.Epoch;
        var token = await RevocationInstances.Token("\"jti\":\"j-1\"");

        // Redis loses its data, then the next write starts a new epoch the view cannot be rebuilt to.
        await real.GetDatabase().KeyDeleteAsync([_instances.Prefix + "rv:epoch", _instances.Prefix + "rv:version", _instances.Prefix + "rv:log", _instances.Prefix + "rv:until"]);
        Volatile.Write(ref syncFails, true);
        await store.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);

        Assert.NotEqual(epoch, (string?)await real.GetDatabase().StringGetAsync(_instances.Prefix + "rv:epoch"));
        Assert.False(store.IsTrusted);
        Assert.Equal(TokenRevocationStatus.Unavailable, await RevocationInstances.Check(store, token));

        // Redis answers again: the rebuilt view holds the revocation.
        Volatile.Write(ref syncFails, false);
        await RevocationInstances.UntilAsync(store, token, TokenRevocationStatus.Revoked);
    }

    [Fact]
    public async Task Redis_killed_makes_every_instance_fail_closed_and_restarted_with_its_data_every_revocation_holds_again()
    {
        var a = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var b = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var byId = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var bySubject = await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1779999000");
        var bystander = await RevocationInstances.Token("\"jti\":\"j-other\"");
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await b.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, byId, TokenRevocationStatus.Revoked);
        await RevocationInstances.UntilAsync(a, bySubject, TokenRevocationStatus.Revoked);
        var epoch = a.Epoch;

        await Server.KillAsync();

        await UntilEveryAnswerIsAsync(a, TokenRevocationStatus.Unavailable, bystander, TokenRevocationStatus.NotRevoked);
        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.Unavailable, bystander, TokenRevocationStatus.NotRevoked);

        await Server.RestartAsync();

        foreach (var store in new[] { a, b })
        {
            await UntilEveryAnswerIsAsync(store, TokenRevocationStatus.Revoked, byId, TokenRevocationStatus.Unavailable);
            Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(store, bySubject));
            Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, bystander));
            Assert.Equal(epoch, store.Epoch);
        }

        // Both subscribed again.
        await a.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, await RevocationInstances.Token("\"jti\":\"j-2\""), TokenRevocationStatus.Revoked);
    }

    [Fact]
    public async Task Redis_restarted_empty_makes_every_view_start_again_from_what_redis_holds()
    {
        var multiplexer = await _instances.ConnectAsync(Server.Port);
        var a = await _instances.StartedStoreAsync(multiplexer);
        var b = await _instances.StartedStoreAsync(await _instances.ConnectAsync(Server.Port));
        var lost = await RevocationInstances.Token("\"jti\":\"j-1\"");
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, lost, TokenRevocationStatus.Revoked);
        var epoch = b.Epoch;
        Assert.NotEmpty(epoch);

        // The data is gone (the append-only file records the flush): the server comes back empty.
        await multiplexer.GetServer(multiplexer.GetEndPoints()[0]).FlushAllDatabasesAsync();
        await Server.KillAsync();
        await Server.RestartAsync();

        // Documented: what Redis lost is dropped by every view, so all instances agree again.
        await UntilEveryAnswerIsAsync(a, TokenRevocationStatus.NotRevoked, lost, TokenRevocationStatus.Revoked, TokenRevocationStatus.Unavailable);
        await UntilEveryAnswerIsAsync(b, TokenRevocationStatus.NotRevoked, lost, TokenRevocationStatus.Revoked, TokenRevocationStatus.Unavailable);
        Assert.Equal("", a.Epoch);
        Assert.Equal("", b.Epoch);

        // The next revocation starts a new epoch, which the other instance follows.
        await a.RevokeTokenAsync("j-2", Start.AddHours(1), Ct);
        await RevocationInstances.UntilAsync(b, await RevocationInstances.Token("\"jti\":\"j-2\""), TokenRevocationStatus.Revoked);
        Assert.NotEqual(epoch, b.Epoch);
        Assert.NotEmpty(b.Epoch);
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, lost));
    }

    /// <summary>
    /// Asks until <paramref name="store"/> answers <paramref name="expected"/> for <paramref name="token"/>, failing on
    /// any answer other than <paramref name="allowedMeanwhile"/> in between (a token let in while it should not be).
    /// </summary>
    private static async Task UntilEveryAnswerIsAsync(
        ITokenRevocationCheck store, TokenRevocationStatus expected, ValidatedToken token, params TokenRevocationStatus[] allowedMeanwhile)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = await RevocationInstances.Check(store, token);
            if (status == expected)
            {
                return;
            }

            Assert.Contains(status, allowedMeanwhile);
            Assert.True(
                watch.Elapsed < TimeSpan.FromSeconds(30),
                $"Still {status}, not {expected}, after 30 s" + (store is RedisTokenRevocationStore redis
                    ? $" (connected {redis.IsConnected}, trusted {redis.IsTrusted}, epoch '{redis.Epoch}', version {redis.Version}, view age {redis.ViewAge})."
                    : "."));
            await Task.Delay(5, Ct);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), failure + " after 30 s.");
            await Task.Delay(5, Ct);
        }
    }
}

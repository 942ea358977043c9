using System.Diagnostics;
using System.Globalization;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// Two instances (two multiplexers) on one Redis: what one revokes the other refuses, pushed over pub/sub, and checked
/// from memory. The propagation delays are written to the test output, not asserted (timing claims live in bench/).
/// </summary>
public sealed class RedisTokenRevocationPropagationTests : RedisRevocationTests
{
    [Fact]
    public async Task What_one_instance_revokes_every_other_instance_refuses()
    {
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port));
        var b = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port));
        var c = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port));
        var bystander = await RevocationInstances.Token("\"jti\":\"j-other\",\"sid\":\"s-other\",\"sub\":\"user-other\",\"iat\":1779999000");
        var delays = new List<TimeSpan>();

        for (var i = 0; i < 20; i++)
        {
            var token = await RevocationInstances.Token($"\"jti\":\"j-{i}\"");
            Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, token));

            // From the call on one instance to the refusal on another (the message may arrive before the call returns).
            var watch = Stopwatch.StartNew();
            await a.RevokeTokenAsync($"j-{i}", Start.AddHours(1), Ct);
            await RevocationInstances.UntilAsync(b, token, TokenRevocationStatus.Revoked, spin: true);
            delays.Add(watch.Elapsed);
            await RevocationInstances.UntilAsync(c, token, TokenRevocationStatus.Revoked);
        }

        await b.RevokeSessionAsync("s-1", Start.AddHours(1), Ct);
        await c.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);
        foreach (var store in new[] { a, b, c })
        {
            await RevocationInstances.UntilAsync(store, await RevocationInstances.Token("\"jti\":\"j-x\",\"sid\":\"s-1\""), TokenRevocationStatus.Revoked);
            await RevocationInstances.UntilAsync(store, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1779999000"), TokenRevocationStatus.Revoked);
            Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(store, bystander));
        }

        delays.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Propagation to another instance (call to refusal) over {delays.Count} revocations: median {delays[delays.Count / 2].TotalMilliseconds:0.0} ms, max {delays[^1].TotalMilliseconds:0.0} ms."));
    }

    [Fact]
    public async Task A_subject_revocation_reaches_every_instance_with_the_writers_cut_off_not_the_readers_clock()
    {
        var writerClock = new FakeTimeProvider(Start.AddMilliseconds(500));
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), time: writerClock);
        var b = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), time: new FakeTimeProvider(Start.AddMinutes(10)));

        await a.RevokeSubjectAsync("user-1", Start.AddHours(1), Ct);

        await RevocationInstances.UntilAsync(b, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1780000000.25"), TokenRevocationStatus.Revoked);
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1780000000.75")));
        Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, await RevocationInstances.Token("\"sub\":\"user-1\",\"iat\":1780000300")));
    }

    [Fact]
    public async Task Checks_are_answered_from_the_local_view_without_asking_redis()
    {
        // A long bound: right after Redis dies the view is still trusted, so the answers can only come from memory.
        var options = new BearerJwtRedisRevocationOptions { UnavailableAfter = TimeSpan.FromMinutes(5), HeartbeatInterval = TimeSpan.FromMilliseconds(200) };
        var a = await Instances.StartedStoreAsync(await Instances.ConnectAsync(Server.Port), options);
        var multiplexer = await Instances.ConnectAsync(Server.Port);
        var b = await Instances.StartedStoreAsync(multiplexer, options);
        await a.RevokeTokenAsync("j-1", Start.AddHours(1), Ct);
        var revoked = await RevocationInstances.Token("\"jti\":\"j-1\"");
        var other = await RevocationInstances.Token("\"jti\":\"j-2\"");
        await RevocationInstances.UntilAsync(b, revoked, TokenRevocationStatus.Revoked);

        await Server.KillAsync();
        await Assert.ThrowsAnyAsync<RedisException>(() => multiplexer.GetDatabase().PingAsync());

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(TokenRevocationStatus.Revoked, await RevocationInstances.Check(b, revoked));
            Assert.Equal(TokenRevocationStatus.NotRevoked, await RevocationInstances.Check(b, other));
        }
    }

    private static DateTimeOffset Start => RevocationInstances.Start;
}

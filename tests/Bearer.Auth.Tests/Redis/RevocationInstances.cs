using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// What the Redis revocation tests build "instances" from: one multiplexer each (as separate processes would have),
/// reconnecting quickly; stores on them with short bounds; real validated tokens; and polling with a deadline, so a
/// test waits for an outcome instead of sleeping.
/// </summary>
internal sealed class RevocationInstances : IAsyncDisposable
{
    /// <summary>The instant the stores' (revocation) clocks start at.</summary>
    internal static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);

    private static readonly byte[] Key = SHA256.HashData("Bearer.Auth Redis revocation test key"u8);
    private static readonly BearerJwtValidator Validator = CreateValidator();

    private readonly List<IAsyncDisposable> _owned = [];

    /// <summary>The key prefix of this test's stores, unique, so tests sharing a server never see each other's keys.</summary>
    internal string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8] + ":";

    /// <summary>A bound of one second and a heartbeat every 200 ms: outages show within seconds.</summary>
    internal static BearerJwtRedisRevocationOptions Fast(bool failOpen = false) =>
        new() { UnavailableAfter = TimeSpan.FromSeconds(1), HeartbeatInterval = TimeSpan.FromMilliseconds(200), FailOpen = failOpen };

    /// <summary>A multiplexer of its own to 127.0.0.1:<paramref name="port"/>, failing fast and reconnecting every 100 ms.</summary>
    internal async Task<IConnectionMultiplexer> ConnectAsync(int port)
    {
        var options = ConfigurationOptions.Parse($"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(100);
        options.ConnectTimeout = 2000;
        options.AsyncTimeout = 2000;
        options.SyncTimeout = 2000;
        options.AllowAdmin = true;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        _owned.Add(multiplexer);
        return multiplexer;
    }

    /// <summary>A store on <paramref name="multiplexer"/> under <see cref="Prefix"/>, disposed with this object.</summary>
    internal RedisTokenRevocationStore Store(
        IConnectionMultiplexer multiplexer,
        BearerJwtRedisRevocationOptions? options = null,
        TimeProvider? time = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null,
        TimeProvider? trustClock = null)
    {
        var store = new RedisTokenRevocationStore(
            RedisConnection.Ready(multiplexer), Prefix, options ?? Fast(), time ?? new FakeTimeProvider(Start), trustClock ?? TimeProvider.System, loggerFactory, meterFactory);
        _owned.Insert(0, store); // stores go before their multiplexers
        return store;
    }

    /// <summary>Creates a store and waits (at most 10 s) for Redis to confirm its view.</summary>
    internal async Task<RedisTokenRevocationStore> StartedStoreAsync(
        IConnectionMultiplexer multiplexer, BearerJwtRedisRevocationOptions? options = null, TimeProvider? time = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        var store = Store(multiplexer, options, time, meterFactory: meterFactory);
        Assert.True(await store.WaitForFirstConfirmationAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken), "Redis never confirmed the view.");
        return store;
    }

    /// <summary>Validates a token whose payload holds <c>iss</c>, <c>aud</c> and a far <c>exp</c> plus <paramref name="claims"/>.</summary>
    internal static async Task<ValidatedToken> Token(string claims)
    {
        var exp = (Start.ToUnixTimeSeconds() + 172_800).ToString(CultureInfo.InvariantCulture);
        var payload = $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":{{exp}},{{claims}}}""";
        var result = await Validator.ValidateAsync(TestJwt.Hs(Key, payload), TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, result.Failure.ToString());
        return result.Token!;
    }

    /// <summary>What <paramref name="store"/> answers for <paramref name="token"/> now.</summary>
    internal static ValueTask<TokenRevocationStatus> Check(ITokenRevocationCheck store, ValidatedToken token) =>
        store.CheckAsync(token, TestContext.Current.CancellationToken);

    /// <summary>
    /// Asks until <paramref name="store"/> answers <paramref name="expected"/> for <paramref name="token"/>, failing the
    /// test after <paramref name="deadlineSeconds"/>; returns how long it took (reported, never asserted). Polls every
    /// 5 ms, or as fast as it can when <paramref name="spin"/> is set.
    /// </summary>
    internal static async Task<TimeSpan> UntilAsync(ITokenRevocationCheck store, ValidatedToken token, TokenRevocationStatus expected, double deadlineSeconds = 15, bool spin = false)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var status = await Check(store, token);
            if (status == expected)
            {
                return watch.Elapsed;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(deadlineSeconds), $"Still {status}, not {expected}, after {deadlineSeconds} s.");
            if (spin)
            {
                await Task.Yield(); // a finer measurement, for the few polls a delay report needs
            }
            else
            {
                await Task.Delay(5, TestContext.Current.CancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    private static BearerJwtValidator CreateValidator()
    {
        var options = new BearerJwtOptions { ValidIssuer = TestJwt.Issuer, ValidAudience = TestJwt.Audience, RepeatTokenCacheSize = 0 };
        options.VerificationKeys.Add(VerificationKey.Symmetric(Key));
        return TestValidators.From(options, new FakeTimeProvider(Start.AddDays(1)));
    }
}

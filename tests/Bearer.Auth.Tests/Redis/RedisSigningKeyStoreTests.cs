using System.Text;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Keys.Ring;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>The key ring over a real Redis: private keys encrypted at rest, shared by every instance with the Data Protection keys, expiring with their key.</summary>
public sealed class RedisSigningKeyStoreTests : IDisposable
{
    private const string Prefix = "test:";

    private readonly DirectoryInfo _dataProtectionKeys = Directory.CreateTempSubdirectory("bearer-auth-dp-");

    public void Dispose() => _dataProtectionKeys.Delete(recursive: true);

    [Fact]
    public async Task No_private_key_is_stored_in_clear()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var store = Store(multiplexer, time);
        var ring = KeyRings.Ring(store, time);
        var key = ring.GetSigningKey();

        var record = Assert.Single(await store.LoadAsync(TestContext.Current.CancellationToken));
        var privateKey = record.PrivateKey.ToArray();
        var values = new List<byte[]>();
        foreach (var name in multiplexer.GetServers()[0].Keys(pattern: Prefix + "*"))
        {
            if (await multiplexer.GetDatabase().KeyTypeAsync(name) == RedisType.String)
            {
                values.Add((byte[])(await multiplexer.GetDatabase().StringGetAsync(name))!);
            }
        }

        var value = Assert.Single(values);
        Assert.Equal(key.KeyId, record.KeyId);
        Assert.Equal(-1, value.AsSpan().IndexOf(privateKey));
        Assert.Equal(-1, value.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToBase64String(privateKey))));
        Assert.Equal(-1, value.AsSpan().IndexOf(privateKey.AsSpan(privateKey.Length - 32)));
        Assert.Equal(-1, value.AsSpan().IndexOf("\"d\""u8));
        Assert.Equal(-1, value.AsSpan().IndexOf("\"key\""u8));
        Assert.Equal(-1, value.AsSpan().IndexOf(Encoding.ASCII.GetBytes(record.KeyId)));
    }

    [Fact]
    public async Task Two_instances_sharing_Redis_and_the_Data_Protection_keys_sign_with_one_key_and_verify_each_others_tokens()
    {
        await using var server = await RedisServer.StartAsync();
        await using var first = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var second = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var a = KeyRings.Ring(Store(first, time), time);
        var b = KeyRings.Ring(Store(second, time), time);

        var signedByA = KeyRings.Issuer(a, time).Issue(new AccessTokenRequest("user-1")).Token;
        var signedByB = KeyRings.Issuer(b, time).Issue(new AccessTokenRequest("user-2")).Token;

        Assert.Equal(a.GetSigningKey().KeyId, b.GetSigningKey().KeyId);
        Assert.Equal(TokenFailureReason.None, (await KeyRings.Validator(b, time).ValidateAsync(signedByA, TestContext.Current.CancellationToken)).Failure);
        Assert.Equal(TokenFailureReason.None, (await KeyRings.Validator(a, time).ValidateAsync(signedByB, TestContext.Current.CancellationToken)).Failure);

        // The next key, created by one instance, is published by the other before it signs.
        time.SetUtcNow(KeyRings.Start + KeyRings.Rotation - (2 * KeyRings.Lead));
        await a.RefreshAsync(TestContext.Current.CancellationToken);
        await b.RefreshAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, KeyRings.PublishedKeyIds(b).Length);
        Assert.Equal(KeyRings.PublishedKeyIds(a), KeyRings.PublishedKeyIds(b));
    }

    [Fact]
    public async Task An_instance_without_the_shared_Data_Protection_keys_skips_the_records_and_logs_why()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var kid = KeyRings.Ring(Store(multiplexer, time), time).GetSigningKey().KeyId;
        var elsewhere = Directory.CreateTempSubdirectory("bearer-auth-dp-other-");
        try
        {
            var logger = new FakeLogger<RedisSigningKeyStore>();
            var stranger = new RedisSigningKeyStore(new RedisConnection(multiplexer, Prefix), DataProtectionProvider.Create(elsewhere), time, logger);

            Assert.Empty(await stranger.LoadAsync(TestContext.Current.CancellationToken));
            var entry = Assert.Single(logger.Collector.GetSnapshot());
            Assert.StartsWith($"A signing key record is skipped: the Redis record of '{kid}' cannot be decrypted (", entry.Message);
            Assert.EndsWith("); every instance must share the Data Protection key ring.", entry.Message);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_record_listed_under_another_kid_is_skipped()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var store = Store(multiplexer, time);
        var kid = KeyRings.Ring(store, time).GetSigningKey().KeyId;
        var database = multiplexer.GetDatabase();

        // Someone with write access to Redis copies the encrypted record under a kid of their choosing.
        await database.StringSetAsync(Prefix + "keys:forged", await database.StringGetAsync(Prefix + "keys:" + kid));
        await database.SetAddAsync(Prefix + "keys", "forged");

        Assert.Equal([kid], (await store.LoadAsync(TestContext.Current.CancellationToken)).Select(r => r.KeyId));
    }

    [Fact]
    public async Task A_record_expires_in_Redis_when_its_key_stops_being_published_and_the_list_forgets_it()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var store = Store(multiplexer, time);
        var kid = KeyRings.Ring(store, time).GetSigningKey().KeyId;
        var database = multiplexer.GetDatabase();

        // The first key signs at once: it is published for one rotation and the retention.
        var expected = KeyRings.Rotation + KeyRings.Retention;
        var recordTtl = await database.KeyTimeToLiveAsync(Prefix + "keys:" + kid);
        var listTtl = await database.KeyTimeToLiveAsync(Prefix + "keys");
        Assert.InRange(recordTtl!.Value, expected - TimeSpan.FromSeconds(30), expected);
        Assert.InRange(listTtl!.Value, expected - TimeSpan.FromSeconds(30), expected);

        // Gone from Redis (as when its TTL runs out): the next read drops it from the list.
        await database.KeyDeleteAsync(Prefix + "keys:" + kid);
        Assert.Empty(await store.LoadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await database.SetLengthAsync(Prefix + "keys"));
    }

    [Fact]
    public async Task With_Redis_down_the_ring_keeps_signing_and_a_ring_without_a_key_fails_with_SigningKeyUnavailableException()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",connectTimeout=500,syncTimeout=500,asyncTimeout=500");
        var time = KeyRings.Clock();
        var store = Store(multiplexer, time);
        var ring = KeyRings.Ring(store, time);
        var key = ring.GetSigningKey();

        await server.KillAsync();
        time.Advance(KeyRings.Refresh * 2);

        Assert.Same(key, ring.GetSigningKey());
        Assert.Equal([key.KeyId!], KeyRings.PublishedKeyIds(ring));
        var refresh = await Assert.ThrowsAsync<SigningKeyUnavailableException>(() => ring.RefreshAsync(TestContext.Current.CancellationToken));
        Assert.StartsWith("The signing key store could not be read: ", refresh.Message);
        var fresh = KeyRings.Ring(store, time);
        var thrown = Assert.Throws<SigningKeyUnavailableException>(() => fresh.GetSigningKey());
        Assert.StartsWith("The signing key store could not be read: ", thrown.Message);
    }

    [Fact]
    public async Task A_store_made_with_the_public_constructor_shares_the_keys_of_the_registered_one()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var key = KeyRings.Ring(Store(multiplexer, time), time).GetSigningKey();

        var store = new RedisSigningKeyStore(multiplexer, DataProtectionProvider.Create(_dataProtectionKeys), Prefix, time);

        Assert.Equal(key.KeyId, Assert.Single(await store.LoadAsync(TestContext.Current.CancellationToken)).KeyId);
        Assert.Throws<ArgumentNullException>(() => new RedisSigningKeyStore((IConnectionMultiplexer)null!, DataProtectionProvider.Create(_dataProtectionKeys)));
        Assert.Throws<ArgumentNullException>(() => new RedisSigningKeyStore(multiplexer, null!));
        Assert.Throws<ArgumentException>(() => new RedisSigningKeyStore(multiplexer, DataProtectionProvider.Create(_dataProtectionKeys), ""));
    }

    [Fact]
    public async Task A_cancelled_token_is_refused_before_anything_is_sent_to_redis()
    {
        await using var server = await RedisServer.StartAsync();
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var time = KeyRings.Clock();
        var store = Store(multiplexer, time);
        var record = SigningKeyRecord.Generate(JwsAlgorithms.ES256, KeyRings.Start, KeyRings.Start, KeyRings.Start + KeyRings.Rotation, KeyRings.Start + KeyRings.Rotation + KeyRings.Retention);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.AddAsync(record, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.LoadAsync(cancelled.Token));

        Assert.Empty(multiplexer.GetServers()[0].Keys(pattern: Prefix + "*"));
        Assert.Empty(await store.LoadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddBearerJwtRedis_makes_the_Redis_store_the_rings_store()
    {
        var services = new ServiceCollection();
        services.AddBearerJwtRedis(o => o.Configuration = "127.0.0.1:1");
        services.AddBearerJwtSigningKeyRing();
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<RedisSigningKeyStore>(provider.GetRequiredService<ISigningKeyStore>());
        Assert.NotNull(provider.GetRequiredService<SigningKeyRing>());
    }

    private RedisSigningKeyStore Store(IConnectionMultiplexer multiplexer, TimeProvider time) =>
        new(new RedisConnection(multiplexer, Prefix), DataProtectionProvider.Create(_dataProtectionKeys), time);
}

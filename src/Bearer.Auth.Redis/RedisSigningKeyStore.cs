using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>
/// Keeps the keys of a <see cref="SigningKeyRing"/> in Redis, so every instance signs with and publishes the same keys.
/// Each key is one Redis string (<c>{prefix}keys:{kid}</c>) that expires with the key, listed in the set
/// <c>{prefix}keys</c>. The whole record, private key included, is encrypted and authenticated with ASP.NET Core Data
/// Protection (purpose <c>Bearer.Auth.SigningKeys</c>): Redis never holds a private key in clear, and a record written
/// by anyone without the Data Protection keys is refused.
/// </summary>
/// <remarks>
/// <para>
/// Every instance must share the Data Protection key ring (for example
/// <c>services.AddDataProtection().PersistKeysToStackExchangeRedis(…)</c> from
/// Microsoft.AspNetCore.DataProtection.StackExchangeRedis, with one application name): an instance that cannot decrypt
/// a record logs it and skips it, and tokens signed with that key do not verify there. Registered by
/// <c>AddBearerJwtRedis</c>; create one yourself only for a ring built by hand.
/// </para>
/// <para>
/// StackExchange.Redis takes no cancellation token: a cancelled token is refused before anything is sent, and
/// cancelling later stops the wait for Redis's answer, not the command (a key being added may still be stored).
/// </para>
/// </remarks>
public sealed class RedisSigningKeyStore : ISigningKeyStore
{
    /// <summary>The Data Protection purpose of the records.</summary>
    internal const string Purpose = "Bearer.Auth.SigningKeys";

    // Adds the record, lists it, and keeps the list at least as long as its longest-lived record.
    private const string AddScript = """
        redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
        redis.call('SADD', KEYS[1], ARGV[3])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < tonumber(ARGV[2]) then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 1
        """;

    private readonly RedisConnection _connection;
    private readonly IDataProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RedisKey _setKey;
    private readonly string _recordKeyPrefix;

    /// <summary>Creates a store on a multiplexer the application made.</summary>
    /// <param name="multiplexer">The connection to Redis; the store does not dispose it.</param>
    /// <param name="dataProtection">Encrypts the records; every instance must share its key ring.</param>
    /// <param name="keyPrefix">The prefix of every key the store writes (default <c>bearer:</c>), so applications can share one Redis.</param>
    /// <param name="timeProvider">The clock a record's expiry is measured on; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="logger">Where records that cannot be decrypted or read are logged.</param>
    public RedisSigningKeyStore(
        IConnectionMultiplexer multiplexer,
        IDataProtectionProvider dataProtection,
        string keyPrefix = "bearer:",
        TimeProvider? timeProvider = null,
        ILogger<RedisSigningKeyStore>? logger = null)
        : this(new RedisConnection(multiplexer ?? throw new ArgumentNullException(nameof(multiplexer)), keyPrefix), dataProtection, timeProvider, logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
    }

    /// <summary>Creates the store <c>AddBearerJwtRedis</c> registers, on the connection the Redis stores share.</summary>
    internal RedisSigningKeyStore(RedisConnection connection, IDataProtectionProvider dataProtection, TimeProvider? timeProvider = null, ILogger<RedisSigningKeyStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataProtection);
        _connection = connection;
        _protector = dataProtection.CreateProtector(Purpose);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _setKey = connection.KeyPrefix + "keys";
        _recordKeyPrefix = connection.KeyPrefix + "keys:";
    }

    /// <inheritdoc />
    /// <exception cref="RedisException">Redis cannot be reached (the ring keeps the keys it read before).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: nothing is sent, or the answer is no longer awaited.</exception>
    public async Task<IReadOnlyList<SigningKeyRecord>> LoadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var database = (await _connection.GetMultiplexerAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        var members = await database.SetMembersAsync(_setKey).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (members.Length == 0)
        {
            return [];
        }

        var keys = new RedisKey[members.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = _recordKeyPrefix + members[i];
        }

        var values = await database.StringGetAsync(keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<SigningKeyRecord>(values.Length);
        var gone = new List<RedisValue>();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i].IsNull)
            {
                // Expired: its entry in the list goes too.
                gone.Add(members[i]);
            }
            else if (Read((byte[])values[i]!, members[i].ToString()) is { } record)
            {
                records.Add(record);
            }
        }

        if (gone.Count > 0)
        {
            await database.SetRemoveAsync(_setKey, [.. gone]).ConfigureAwait(false);
        }

        return records;
    }

    /// <inheritdoc />
    /// <exception cref="RedisException">Redis cannot be reached: the key is not stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled: nothing is sent, or the answer is no longer awaited.</exception>
    public async Task AddAsync(SigningKeyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        var ttl = record.ExpiresAt - _time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return;
        }

        var database = (await _connection.GetMultiplexerAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).GetDatabase();
        await database.ScriptEvaluateAsync(
            AddScript,
            [_setKey, _recordKeyPrefix + record.KeyId],
            [Protect(record), (long)Math.Ceiling(ttl.TotalMilliseconds), record.KeyId]).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record as JSON, encrypted and authenticated as a whole.</summary>
    internal byte[] Protect(SigningKeyRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kid", record.KeyId);
            writer.WriteString("alg", record.Algorithm);
            writer.WriteNumber("created", record.CreatedAt.UtcTicks);
            writer.WriteNumber("activates", record.ActivatesAt.UtcTicks);
            writer.WriteNumber("retires", record.RetiresAt.UtcTicks);
            writer.WriteNumber("expires", record.ExpiresAt.UtcTicks);
            writer.WriteBase64String("key", record.PrivateKey);
            writer.WriteEndObject();
        }

        var json = buffer.WrittenSpan.ToArray();
        try
        {
            return _protector.Protect(json);
        }
        finally
        {
            // The clear JSON holds the private key: neither copy outlives the encryption.
            CryptographicOperations.ZeroMemory(json);
            buffer.Clear();
        }
    }

    /// <summary>The record a value holds, or <see langword="null"/> (logged) when it cannot be decrypted or read.</summary>
    internal SigningKeyRecord? Read(byte[] value, string listedKeyId)
    {
        byte[] json;
        try
        {
            json = _protector.Unprotect(value);
        }
        catch (CryptographicException ex)
        {
            SigningKeyRingLog.RecordSkipped(_logger, $"the Redis record of '{LogText.Printable(listedKeyId)}' cannot be decrypted ({ex.Message}); every instance must share the Data Protection key ring.");
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var keyId = root.GetProperty("kid").GetString()!;
            if (!string.Equals(keyId, listedKeyId, StringComparison.Ordinal))
            {
                SigningKeyRingLog.RecordSkipped(_logger, $"the Redis record listed as '{LogText.Printable(listedKeyId)}' holds another key.");
                return null;
            }

            var privateKey = root.GetProperty("key").GetBytesFromBase64();
            try
            {
                return new SigningKeyRecord(
                    keyId,
                    root.GetProperty("alg").GetString()!,
                    new DateTimeOffset(root.GetProperty("created").GetInt64(), TimeSpan.Zero),
                    new DateTimeOffset(root.GetProperty("activates").GetInt64(), TimeSpan.Zero),
                    new DateTimeOffset(root.GetProperty("retires").GetInt64(), TimeSpan.Zero),
                    new DateTimeOffset(root.GetProperty("expires").GetInt64(), TimeSpan.Zero),
                    privateKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            SigningKeyRingLog.RecordSkipped(_logger, $"the Redis record of '{LogText.Printable(listedKeyId)}' cannot be read: {ex.Message}");
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }
}

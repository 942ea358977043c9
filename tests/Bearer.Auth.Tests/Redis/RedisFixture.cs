using System.Buffers.Text;
using System.Runtime.ExceptionServices;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// One real <c>redis-server</c> for a test class and a connection to it made as <c>AddBearerJwtRedis</c> makes its
/// own; each test writes under its own key prefix, so tests do not see each other's keys. Without redis-server, the
/// skip (or the failure, in CI) happens in each test that uses <see cref="Connection"/>.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? _server;
    private RedisConnection? _connection;
    private ExceptionDispatchInfo? _startFailure;
    private int _prefixes;

    /// <summary>The shared connection; skips (or fails) the calling test when the server could not start.</summary>
    internal RedisConnection Connection
    {
        get
        {
            _startFailure?.Throw();
            return _connection!;
        }
    }

    /// <summary>The connected multiplexer behind <see cref="Connection"/>.</summary>
    internal IConnectionMultiplexer Multiplexer => Connection.GetMultiplexerAsync().GetAwaiter().GetResult();

    /// <summary>The server (for its port); skips (or fails) the calling test when it could not start.</summary>
    internal RedisServer Server
    {
        get
        {
            _startFailure?.Throw();
            return _server!;
        }
    }

    /// <summary>A key prefix no other test of this class uses.</summary>
    internal string NewPrefix() => $"test{Interlocked.Increment(ref _prefixes)}:";

    public async ValueTask InitializeAsync()
    {
        try
        {
            _server = await RedisServer.StartAsync();
        }
        catch (Exception ex)
        {
            _startFailure = ExceptionDispatchInfo.Capture(ex);
            return;
        }

        _connection = Connect(_server);
        await _connection.GetMultiplexerAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A connection to <paramref name="server"/> configured as the library configures its own.</summary>
    internal static RedisConnection Connect(RedisServer server, string keyPrefix = "bearer:") =>
        new(Microsoft.Extensions.Options.Options.Create(new BearerJwtRedisOptions { Configuration = server.ConnectionString, KeyPrefix = keyPrefix }));

    /// <summary>
    /// Every key under <paramref name="prefix"/>, and every value, field and member they hold, as text; binary values
    /// also as hex and base64url, so a token kept in any of those spellings would be found.
    /// </summary>
    internal static List<string> Dump(IConnectionMultiplexer multiplexer, string prefix)
    {
        var database = multiplexer.GetDatabase();
        var kept = new List<string>();
        void Add(RedisValue value)
        {
            var bytes = (byte[])value!;
            kept.Add(value.ToString());
            kept.Add(Convert.ToHexString(bytes));
            kept.Add(Base64Url.EncodeToString(bytes));
        }

        foreach (var key in Keys(multiplexer, prefix))
        {
            kept.Add(key.ToString());
            switch (database.KeyType(key))
            {
                case RedisType.String:
                    Add(database.StringGet(key));
                    break;
                case RedisType.Hash:
                    foreach (var entry in database.HashGetAll(key))
                    {
                        Add(entry.Name);
                        Add(entry.Value);
                    }

                    break;
                case RedisType.List:
                    foreach (var item in database.ListRange(key))
                    {
                        Add(item);
                    }

                    break;
                case RedisType.Set:
                    foreach (var member in database.SetMembers(key))
                    {
                        Add(member);
                    }

                    break;
                default:
                    kept.Add($"unexpected {database.KeyType(key)} at {key}");
                    break;
            }
        }

        return kept;
    }

    /// <summary>Every key under <paramref name="prefix"/>.</summary>
    internal static List<RedisKey> Keys(IConnectionMultiplexer multiplexer, string prefix) =>
        [.. multiplexer.GetServer(multiplexer.GetEndPoints()[0]).Keys(pattern: prefix + "*", pageSize: 1000)];
}

using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>
/// The one connection the Redis stores share (a multiplexer carries commands and pub/sub for the whole process).
/// Connecting starts at first use and never blocks start-up: with <c>abortConnect=false</c> the multiplexer keeps
/// retrying in the background, and each store decides what "not connected" means for it.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _multiplexer;

    public RedisConnection(IOptions<BearerJwtRedisOptions> options)
    {
        var value = options.Value;
        KeyPrefix = value.KeyPrefix;
        _multiplexer = new(() => ConnectAsync(value.Configuration!));
    }

    /// <summary>Uses a multiplexer the application made (tests, or an app that already has one).</summary>
    internal RedisConnection(IConnectionMultiplexer multiplexer, string keyPrefix)
    {
        KeyPrefix = keyPrefix;
        _multiplexer = new(Task.FromResult(multiplexer));
    }

    /// <summary>The prefix of every key and channel.</summary>
    internal string KeyPrefix { get; }

    /// <summary>The multiplexer, connected or still trying to connect.</summary>
    internal Task<IConnectionMultiplexer> GetMultiplexerAsync() => _multiplexer.Value;

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            var multiplexer = await _multiplexer.Value.ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;

        // A command issued while disconnected fails at once instead of waiting in a backlog: a store answers
        // "unavailable" now rather than after the command timeout.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>
/// The one connection the Redis stores share (a multiplexer carries commands and pub/sub for the whole process).
/// Connecting starts at first use and never blocks start-up: with <c>abortConnect=false</c> the multiplexer keeps
/// retrying in the background, and each store decides what "not connected" means for it. A connect that failed
/// outright (a name that did not resolve, say) is not kept: the next use tries again.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Func<Task<IConnectionMultiplexer>> _connect;
    private readonly Lock _lock = new();
    private Task<IConnectionMultiplexer>? _multiplexer;

    public RedisConnection(IOptions<BearerJwtRedisOptions> options)
    {
        var value = options.Value;
        KeyPrefix = value.KeyPrefix;
        _connect = () => ConnectAsync(value.Configuration!);
    }

    /// <summary>Uses a multiplexer the application made (tests, or an app that already has one).</summary>
    internal RedisConnection(IConnectionMultiplexer multiplexer, string keyPrefix)
        : this(Ready(multiplexer), keyPrefix)
    {
    }

    /// <summary>Connects with <paramref name="connect"/> at first use, and again after a failed attempt (tests).</summary>
    internal RedisConnection(Func<Task<IConnectionMultiplexer>> connect, string keyPrefix)
    {
        KeyPrefix = keyPrefix;
        _connect = connect;
    }

    /// <summary>The prefix of every key and channel.</summary>
    internal string KeyPrefix { get; }

    /// <summary>The multiplexer, connected or still trying to connect; a failed attempt is replaced by a new one.</summary>
    internal Task<IConnectionMultiplexer> GetMultiplexerAsync()
    {
        lock (_lock)
        {
            if (_multiplexer is null || _multiplexer.IsFaulted || _multiplexer.IsCanceled)
            {
                _multiplexer = _connect();
            }

            return _multiplexer;
        }
    }

    /// <summary>A source of <paramref name="multiplexer"/> that allocates nothing per call.</summary>
    internal static Func<Task<IConnectionMultiplexer>> Ready(IConnectionMultiplexer multiplexer)
    {
        var ready = Task.FromResult(multiplexer);
        return () => ready;
    }

    public async ValueTask DisposeAsync()
    {
        Task<IConnectionMultiplexer>? pending;
        lock (_lock)
        {
            pending = _multiplexer;
        }

        if (pending is null)
        {
            return;
        }

        await ((Task)pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (pending.IsCompletedSuccessfully)
        {
            await pending.Result.DisposeAsync().ConfigureAwait(false);
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

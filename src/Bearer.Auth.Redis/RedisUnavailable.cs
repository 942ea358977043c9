using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>Tells an unreachable or not-yet-ready Redis from a fault of the call, and names it for the application.</summary>
internal static class RedisUnavailable
{
    /// <summary>
    /// Whether <paramref name="exception"/> says that Redis could not decide now: no connection, no answer in time,
    /// or a server that is loading its data, busy with a script, out of memory (<c>maxmemory</c> reached under
    /// <c>noeviction</c>: it refuses writes until memory is freed), or cannot accept writes. Any other error is a fault
    /// of the call and is left as it is.
    /// </summary>
    internal static bool Is(Exception exception) => exception switch
    {
        RedisConnectionException or TimeoutException => true, // RedisTimeoutException is a TimeoutException
        RedisServerException server => IsTransient(server.Message),
        _ => false,
    };

    /// <summary>The exception the application sees instead of <paramref name="exception"/>.</summary>
    internal static TokenStoreUnavailableException Wrap(Exception exception, string store) =>
        new($"The {store} in Redis is unavailable: {exception.Message}", exception);

    private static bool IsTransient(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal)
        || message.StartsWith("BUSY", StringComparison.Ordinal)
        || message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("READONLY", StringComparison.Ordinal)
        || message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
        || message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
        || message.StartsWith("NOREPLICAS", StringComparison.Ordinal)
        || message.StartsWith("OOM", StringComparison.Ordinal);
}

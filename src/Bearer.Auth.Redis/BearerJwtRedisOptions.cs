namespace Bearer.Auth.Redis;

/// <summary>Where the Redis stores keep their data: the server and the prefix of every key they write.</summary>
public sealed class BearerJwtRedisOptions
{
    /// <summary>
    /// Gets or sets the StackExchange.Redis configuration string, for example <c>127.0.0.1:6379</c> or
    /// <c>redis.internal:6380,ssl=true,password=…</c>. Required. <c>abortConnect=false</c> is implied: the application
    /// starts while Redis is down and the stores answer "unavailable" until it is reachable.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the prefix of every key and channel the stores use (default <c>bearer:</c>), so that several
    /// applications, or environments, can share one Redis without reading each other's sessions.
    /// </summary>
    public string KeyPrefix { get; set; } = "bearer:";

    /// <summary>
    /// Gets how the revocation store trusts its local view: how long it may go unconfirmed before requests get a 503,
    /// how often it asks Redis, and whether it fails open.
    /// </summary>
    public BearerJwtRedisRevocationOptions Revocation { get; } = new();
}

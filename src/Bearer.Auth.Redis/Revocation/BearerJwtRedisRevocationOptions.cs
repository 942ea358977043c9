namespace Bearer.Auth.Redis;

/// <summary>How <see cref="RedisTokenRevocationStore"/> decides that its local view of the revocations can be trusted.</summary>
public sealed class BearerJwtRedisRevocationOptions
{
    /// <summary>
    /// Gets or sets how long the local view is trusted after Redis last confirmed it current (default 5 seconds).
    /// Past that, while Redis cannot be reached, every authenticated request is refused with a 503
    /// <c>revocation_unavailable</c> and <c>Retry-After</c> (or, with <see cref="FailOpen"/>, checked against the
    /// stale view). It bounds how long a revocation made elsewhere can go unseen here during an outage.
    /// </summary>
    public TimeSpan UnavailableAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how often the store asks Redis for the latest revocation version (default 500 milliseconds): one
    /// small script per interval per instance, which confirms the view current and catches up on any message that
    /// pub/sub lost. At most half of <see cref="UnavailableAfter"/>, so that one late answer does not make the view
    /// untrusted.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Gets or sets whether a view that can no longer be trusted still answers (default <see langword="false"/>: fail
    /// closed). When <see langword="true"/>, during an outage tokens are checked against the last view received, so
    /// revocations made elsewhere meanwhile are not enforced; each such answer is counted
    /// (<c>bearer_auth.revocation.fail_open</c>) and each outage is logged once.
    /// </summary>
    public bool FailOpen { get; set; }

    /// <summary>The first setting that is out of range, as a message naming it and its value, or <see langword="null"/>.</summary>
    internal string? Validate()
    {
        if (UnavailableAfter <= TimeSpan.Zero || UnavailableAfter > TimeSpan.FromHours(1))
        {
            return $"BearerJwtRedisOptions.Revocation.UnavailableAfter must be more than zero and at most one hour; it was {UnavailableAfter}.";
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval > UnavailableAfter / 2)
        {
            return $"BearerJwtRedisOptions.Revocation.HeartbeatInterval must be more than zero and at most half of UnavailableAfter ({UnavailableAfter}); it was {HeartbeatInterval}.";
        }

        return null;
    }
}

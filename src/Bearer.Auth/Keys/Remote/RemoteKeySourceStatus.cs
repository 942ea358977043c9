namespace Bearer.Auth;

/// <summary>A point-in-time view of one remote source, for the health check.</summary>
internal sealed record RemoteKeySourceStatus(
    string Source,
    string? Issuer,
    int KeyCount,
    DateTimeOffset? LastSuccess,
    TimeSpan? Age,
    DateTimeOffset? LastAttempt,
    DateTimeOffset? LastFailure,
    string? LastError,
    TimeSpan RefreshInterval,
    int ConsecutiveFailures,
    bool IssuerMismatch);

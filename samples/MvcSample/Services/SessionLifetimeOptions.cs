namespace MvcSample.Services;

/// <summary>
/// The lifetimes of the sample's sessions, read from the <c>Sessions</c> configuration section (TimeSpan values such
/// as <c>00:15:00</c>) by <see cref="SessionLifetimeOptionsSetup"/> and checked at start-up by <see cref="SessionLifetimeOptionsValidator"/>.
/// </summary>
public sealed class SessionLifetimeOptions
{
    public const string SectionName = "Sessions";

    /// <summary>How long an access token is valid (<c>Sessions:AccessTokenLifetime</c>). Default 15 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a refresh token stays usable unused, renewed by each refresh (<c>Sessions:RefreshTokenLifetime</c>). Default 14 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a session lasts at most from login, however often it is refreshed (<c>Sessions:SessionLifetime</c>). Default 30 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a replaced refresh token, presented again, still gets the same successor (<c>Sessions:RefreshReuseGracePeriod</c>). Default 30 seconds.</summary>
    public TimeSpan RefreshReuseGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The text read for each key that was set, so a start-up error can quote what the operator wrote.</summary>
    internal Dictionary<string, string> ValuesRead { get; } = new(StringComparer.Ordinal);

    /// <summary>Values that are not TimeSpans at all, one message each.</summary>
    internal List<string> ConfigurationErrors { get; } = [];
}

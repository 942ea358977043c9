using System.Globalization;

namespace Bearer.Auth;

/// <summary>Lifetimes of refresh tokens and their sessions (<see cref="BearerJwtRefreshTokens"/>).</summary>
public sealed class BearerJwtRefreshTokenOptions
{
    /// <summary>The longest lifetime accepted for any setting (10 years): beyond it, end times stop being representable.</summary>
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3650);

    /// <summary>
    /// Gets or sets how long a refresh token stays usable unused: each rotation gives its successor this long again
    /// (a sliding idle lifetime), never past <see cref="SessionLifetime"/>. Default 14 days.
    /// </summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Gets or sets how long a session lasts at most from sign-in, however often it is refreshed. Default 30 days.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Gets or sets how long a replaced token, presented again, still gets the same successor back instead of
    /// revoking the session as a reuse. Default 30 seconds: long enough for a client to retry a refresh whose response
    /// was lost, or for two tabs refreshing at once; short, because within it a stolen replaced token is as good as
    /// its successor. <see cref="TimeSpan.Zero"/> turns retries off (every second presentation is a reuse).
    /// </summary>
    public TimeSpan RefreshReuseGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest lifetime of the access tokens issued for these sessions. When a session ends (reuse,
    /// sign-out, sign-out everywhere) its <c>sid</c> is revoked in the <see cref="ITokenRevocationStore"/> for this long
    /// plus the largest clock skew (5 minutes), so its access tokens are refused until the last of them has expired.
    /// Default 15 minutes, the issuer's default (<see cref="BearerJwtIssuerOptions.AccessTokenLifetime"/>).
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Every problem of these settings, each naming the setting and the value read.</summary>
    internal List<(string Setting, string Message)> FindProblems()
    {
        var problems = new List<(string, string)>();
        void Check(bool bad, string setting, TimeSpan value, string rule)
        {
            if (bad)
            {
                problems.Add((setting, string.Create(CultureInfo.InvariantCulture, $"BearerJwtRefreshTokenOptions.{setting} is {value:c}; {rule}")));
            }
        }

        Check(RefreshTokenLifetime <= TimeSpan.Zero || RefreshTokenLifetime > MaxLifetime, nameof(RefreshTokenLifetime), RefreshTokenLifetime, "it must be greater than zero and at most 3650 days.");
        Check(SessionLifetime <= TimeSpan.Zero || SessionLifetime > MaxLifetime, nameof(SessionLifetime), SessionLifetime, "it must be greater than zero and at most 3650 days.");
        Check(RefreshTokenLifetime > SessionLifetime, nameof(RefreshTokenLifetime), RefreshTokenLifetime, string.Create(CultureInfo.InvariantCulture, $"it must not exceed SessionLifetime ({SessionLifetime:c}), which ends every token of the session."));
        Check(RefreshReuseGracePeriod < TimeSpan.Zero, nameof(RefreshReuseGracePeriod), RefreshReuseGracePeriod, "it must be zero (no retries) or more.");
        Check(
            AccessTokenLifetime < BearerJwtIssuerOptions.MinimumAccessTokenLifetime || AccessTokenLifetime > BearerJwtIssuerOptions.MaximumAccessTokenLifetime,
            nameof(AccessTokenLifetime),
            AccessTokenLifetime,
            string.Create(CultureInfo.InvariantCulture, $"it must be between {BearerJwtIssuerOptions.MinimumAccessTokenLifetime:c} and {BearerJwtIssuerOptions.MaximumAccessTokenLifetime:c}, as the issuer's."));
        Check(RefreshReuseGracePeriod >= RefreshTokenLifetime, nameof(RefreshReuseGracePeriod), RefreshReuseGracePeriod, string.Create(CultureInfo.InvariantCulture, $"it must be shorter than RefreshTokenLifetime ({RefreshTokenLifetime:c}); it is a window for retries, and while it lasts a replaced token is as good as its successor."));
        return problems;
    }
}

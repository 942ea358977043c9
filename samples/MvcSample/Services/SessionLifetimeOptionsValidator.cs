using System.Globalization;
using Bearer.Auth;
using Microsoft.Extensions.Options;

namespace MvcSample.Services;

/// <summary>
/// Checks <see cref="SessionLifetimeOptions"/> at start-up, each message naming the configuration key and the value read:
/// the library checks the same rules, but its messages name its option properties, not the sample's keys.
/// </summary>
public sealed class SessionLifetimeOptionsValidator : IValidateOptions<SessionLifetimeOptions>
{
    private static readonly TimeSpan MaximumLifetime = TimeSpan.FromDays(3650);

    public ValidateOptionsResult Validate(string? name, SessionLifetimeOptions options)
    {
        var problems = new List<string>(options.ConfigurationErrors);
        void Check(bool bad, string key, TimeSpan value, string rule)
        {
            if (bad)
            {
                var read = options.ValuesRead.TryGetValue(key, out var text) ? $"'{text}' (read as {value:c})" : $"{value:c} (the default)";
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SessionLifetimeOptions.SectionName}:{key} is {read}; {rule}"));
            }
        }

        Check(
            options.AccessTokenLifetime < BearerJwtIssuerOptions.MinimumAccessTokenLifetime || options.AccessTokenLifetime > BearerJwtIssuerOptions.MaximumAccessTokenLifetime,
            nameof(SessionLifetimeOptions.AccessTokenLifetime),
            options.AccessTokenLifetime,
            string.Create(CultureInfo.InvariantCulture, $"it must be between {BearerJwtIssuerOptions.MinimumAccessTokenLifetime:c} and {BearerJwtIssuerOptions.MaximumAccessTokenLifetime:c}."));
        Check(
            options.RefreshTokenLifetime <= TimeSpan.Zero || options.RefreshTokenLifetime > MaximumLifetime,
            nameof(SessionLifetimeOptions.RefreshTokenLifetime),
            options.RefreshTokenLifetime,
            "it must be greater than zero and at most 3650 days.");
        Check(
            options.SessionLifetime <= TimeSpan.Zero || options.SessionLifetime > MaximumLifetime,
            nameof(SessionLifetimeOptions.SessionLifetime),
            options.SessionLifetime,
            "it must be greater than zero and at most 3650 days.");
        Check(
            options.RefreshTokenLifetime > options.SessionLifetime,
            nameof(SessionLifetimeOptions.RefreshTokenLifetime),
            options.RefreshTokenLifetime,
            string.Create(CultureInfo.InvariantCulture, $"it must not exceed {SessionLifetimeOptions.SectionName}:{nameof(SessionLifetimeOptions.SessionLifetime)} ({options.SessionLifetime:c}), which ends every token of the session."));
        Check(
            options.RefreshReuseGracePeriod < TimeSpan.Zero,
            nameof(SessionLifetimeOptions.RefreshReuseGracePeriod),
            options.RefreshReuseGracePeriod,
            "it must be zero (no retries) or more.");
        Check(
            options.RefreshReuseGracePeriod >= options.RefreshTokenLifetime,
            nameof(SessionLifetimeOptions.RefreshReuseGracePeriod),
            options.RefreshReuseGracePeriod,
            string.Create(CultureInfo.InvariantCulture, $"it must be shorter than {SessionLifetimeOptions.SectionName}:{nameof(SessionLifetimeOptions.RefreshTokenLifetime)} ({options.RefreshTokenLifetime:c})."));

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

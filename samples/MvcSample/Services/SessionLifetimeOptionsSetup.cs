using System.Globalization;
using Microsoft.Extensions.Options;

namespace MvcSample.Services;

/// <summary>
/// Reads <see cref="SessionLifetimeOptions"/> from configuration by hand: an unreadable value is recorded with its key and
/// text instead of throwing from inside the binder, so start-up validation reports every bad key at once.
/// </summary>
public sealed class SessionLifetimeOptionsSetup(IConfiguration configuration) : IConfigureOptions<SessionLifetimeOptions>
{
    public void Configure(SessionLifetimeOptions options)
    {
        var section = configuration.GetSection(SessionLifetimeOptions.SectionName);
        options.AccessTokenLifetime = Read(section, options, nameof(SessionLifetimeOptions.AccessTokenLifetime), options.AccessTokenLifetime);
        options.RefreshTokenLifetime = Read(section, options, nameof(SessionLifetimeOptions.RefreshTokenLifetime), options.RefreshTokenLifetime);
        options.SessionLifetime = Read(section, options, nameof(SessionLifetimeOptions.SessionLifetime), options.SessionLifetime);
        options.RefreshReuseGracePeriod = Read(section, options, nameof(SessionLifetimeOptions.RefreshReuseGracePeriod), options.RefreshReuseGracePeriod);
    }

    private static TimeSpan Read(IConfigurationSection section, SessionLifetimeOptions options, string name, TimeSpan fallback)
    {
        var text = section[name];
        if (text is null)
        {
            return fallback;
        }

        options.ValuesRead[name] = text;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        options.ConfigurationErrors.Add($"{SessionLifetimeOptions.SectionName}:{name} is '{text}', which is not a TimeSpan (write e.g. 00:15:00 for 15 minutes).");
        return fallback;
    }
}

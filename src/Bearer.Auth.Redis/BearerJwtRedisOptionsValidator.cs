using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Bearer.Auth.Redis;

/// <summary>Refuses, at start-up, a missing or unreadable Redis configuration, naming the setting and the value read.</summary>
internal sealed class BearerJwtRedisOptionsValidator : IValidateOptions<BearerJwtRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, BearerJwtRedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Configuration))
        {
            return ValidateOptionsResult.Fail("BearerJwtRedisOptions.Configuration is required (a StackExchange.Redis configuration string such as 127.0.0.1:6379); it was empty.");
        }

        try
        {
            var parsed = ConfigurationOptions.Parse(options.Configuration);
            if (parsed.EndPoints.Count == 0)
            {
                return ValidateOptionsResult.Fail($"BearerJwtRedisOptions.Configuration names no server: '{Redacted(options.Configuration)}'.");
            }
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"BearerJwtRedisOptions.Configuration could not be read: '{Redacted(options.Configuration)}': {ex.Message}");
        }

        if (string.IsNullOrEmpty(options.KeyPrefix))
        {
            return ValidateOptionsResult.Fail("BearerJwtRedisOptions.KeyPrefix must not be empty: it keeps the stores' keys apart from the application's own.");
        }

        if (options.Revocation.Validate() is { } revocation)
        {
            return ValidateOptionsResult.Fail(revocation);
        }

        return ValidateOptionsResult.Success;
    }

    /// <summary>The configuration as it may be shown: a password is replaced, never printed.</summary>
    internal static string Redacted(string configuration)
    {
        var parts = configuration.Split(',');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].TrimStart();
            if (part.StartsWith("password=", StringComparison.OrdinalIgnoreCase) || part.StartsWith("user=", StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = part[..(part.IndexOf('=', StringComparison.Ordinal) + 1)] + "***";
            }
        }

        return string.Join(',', parts);
    }
}

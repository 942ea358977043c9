using Bearer.Auth.Keys;
using Bearer.Auth.Tokens;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Refuses, at start-up (<c>ValidateOnStart</c>), options that would make the handler weaker than it says or unable
/// to accept any token. Every message names the setting, as an option and as a configuration key.
/// </summary>
internal sealed class BearerJwtOptionsValidator : IValidateOptions<BearerJwtOptions>
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, BearerJwtOptions options) => Validate(name, options, options.KeyResolver);

    /// <summary>Validates <paramref name="options"/> as if <paramref name="keyResolver"/> were its resolver.</summary>
    internal static ValidateOptionsResult Validate(string? name, BearerJwtOptions options, ISigningKeyResolver? keyResolver)
    {
        var scheme = string.IsNullOrEmpty(name) ? BearerJwtDefaults.AuthenticationScheme : name;
        var errors = new List<string>();
        void Fail(string setting, string message) =>
            errors.Add($"BearerJwtOptions.{setting} (Authentication:Schemes:{scheme}:{setting}) {message}");

        foreach (var problem in options.ConfigurationErrors)
        {
            errors.Add($"Configuration for scheme '{scheme}': {problem}");
        }

        if (options.MaxTokenSize <= 0)
        {
            Fail(nameof(options.MaxTokenSize), "must be a positive number of characters.");
        }

        if (options.RepeatTokenCacheSize < 0 || options.RepeatTokenCacheSize > RepeatTokenCache.MaxCapacity)
        {
            Fail(nameof(options.RepeatTokenCacheSize), $"must be between 0 (off) and {RepeatTokenCache.MaxCapacity}.");
        }

        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            Fail(nameof(options.ClockSkew), $"must be between 00:00:00 and {MaxClockSkew}.");
        }

        if (options.ValidAlgorithms.Count == 0)
        {
            Fail(nameof(options.ValidAlgorithms), "must list at least one algorithm.");
        }

        foreach (var algorithm in options.ValidAlgorithms)
        {
            if (JwsAlgorithms.Find(algorithm) is null)
            {
                Fail(nameof(options.ValidAlgorithms), $"contains '{algorithm}', which is not one of {string.Join(", ", JwsAlgorithms.All)}.");
            }
        }

        foreach (var type in options.ValidTypes)
        {
            if (string.IsNullOrWhiteSpace(type))
            {
                Fail(nameof(options.ValidTypes), "contains an empty value.");
            }
        }

        // The realm goes into a response header, where only visible ASCII and spaces are safe.
        if (options.Realm is { } realm && !IsHeaderSafe(realm))
        {
            Fail(nameof(options.Realm), "must contain only printable ASCII characters.");
        }

        if (string.IsNullOrEmpty(options.NameClaimType))
        {
            Fail(nameof(options.NameClaimType), "must not be empty.");
        }

        if (string.IsNullOrEmpty(options.RoleClaimType))
        {
            Fail(nameof(options.RoleClaimType), "must not be empty.");
        }

        if (options.QueryTokenPaths.Count > 0 && string.IsNullOrEmpty(options.QueryTokenParameter))
        {
            Fail(nameof(options.QueryTokenParameter), "must not be empty when QueryTokenPaths is set.");
        }

        ValidateKeys(options, keyResolver, Fail);
        Keys.Remote.RemoteKeyOptionsValidation.Validate(options, Fail);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateKeys(BearerJwtOptions options, ISigningKeyResolver? keyResolver, Action<string, string> fail)
    {
        var hasIssuerBoundKey = false;
        if (keyResolver is StaticSigningKeyResolver staticResolver)
        {
            if (staticResolver.Keys.Count == 0)
            {
                fail(nameof(options.SigningKeys), "is empty: configure SigningKeys, Jwks or JwksPath, or set a KeyResolver.");
            }

            foreach (var key in staticResolver.Keys)
            {
                hasIssuerBoundKey |= key.Issuer is not null;
                if (!options.ValidAlgorithms.Contains(key.Algorithm))
                {
                    fail(nameof(options.SigningKeys), $"contains a key{Describe(key)} for {key.Algorithm}, which ValidAlgorithms does not allow.");
                }
            }
        }
        else
        {
            // A custom resolver may bind its keys to issuers the options do not list.
            hasIssuerBoundKey = true;
        }

        if (options.ValidateIssuer && string.IsNullOrEmpty(options.ValidIssuer) && options.ValidIssuers.Count == 0 && !hasIssuerBoundKey)
        {
            fail(nameof(options.ValidIssuer), "is required: set ValidIssuer or ValidIssuers, bind keys to an issuer, or (not recommended) set ValidateIssuer to false.");
        }

        if (options.ValidateAudience && string.IsNullOrEmpty(options.ValidAudience) && options.ValidAudiences.Count == 0)
        {
            fail(nameof(options.ValidAudience), "is required: set ValidAudience or ValidAudiences, or (not recommended) set ValidateAudience to false.");
        }
    }

    private static bool IsHeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(SigningKey key) => key.KeyId is null ? string.Empty : $" (kid '{key.KeyId}')";
}

using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Refuses, at start-up (<c>ValidateOnStart</c>), options that would make the handler weaker than it says or unable
/// to accept any token. Every message names the setting, as an option and as a configuration key, and the value read.
/// The rules of the validation settings themselves live with them (<see cref="TokenValidationSettings"/>), those of
/// remote key sets with <see cref="RemoteKeySetOptions"/> and <see cref="RemoteKeyEndpoint"/>; this class adds the
/// handler's own and maps every problem to the option that caused it.
/// </summary>
internal sealed class BearerJwtOptionsValidator : IValidateOptions<BearerJwtOptions>
{
    public ValidateOptionsResult Validate(string? name, BearerJwtOptions options)
    {
        var scheme = string.IsNullOrEmpty(name) ? BearerJwtDefaults.AuthenticationScheme : name;
        var errors = new List<string>();
        void Fail(string setting, string message) => errors.Add(Describe(scheme, setting, options) + " " + message);

        foreach (var problem in options.ConfigurationErrors)
        {
            errors.Add($"Configuration for scheme '{scheme}': {problem}");
        }

        // The configure delegate stopped at a refused key: whatever it would have set next is missing, so any other
        // finding would be about that gap rather than about the application's settings.
        if (options.CodeConfigurationStopped)
        {
            return ValidateOptionsResult.Fail(errors);
        }

        if (options.ValidationSettings is { } settings)
        {
            foreach (var (setting, message) in settings.FindProblems())
            {
                switch (setting)
                {
                    // The keys and the issuer requirement are checked below, from the configuration that produced them.
                    case nameof(TokenValidationSettings.KeyResolver) or nameof(TokenValidationSettings.ValidIssuers):
                        break;

                    // An unreadable ValidateAudience is reported already; the default it left says nothing new.
                    case nameof(TokenValidationSettings.ValidAudiences) when !IsUnreadable(options, nameof(options.ValidateAudience)):
                        Fail(nameof(options.ValidAudience), "is required: set Audience, ValidAudience or ValidAudiences (the audience your tokens carry in aud), or (not recommended) set ValidateAudience to false.");
                        break;

                    case nameof(TokenValidationSettings.ValidAudiences):
                        break;

                    default:
                        Fail(setting, message);
                        break;
                }
            }
        }

        // The realm goes into a response header, where only visible ASCII and spaces are safe.
        if (options.Realm is { } realm && !IsHeaderSafe(realm))
        {
            Fail(nameof(options.Realm), $"must contain only printable ASCII characters, not '{Printable(realm)}'.");
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

        ValidateKeys(options, Fail);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>
    /// The option and the configuration key it was read from: <c>BearerJwtOptions.X (Authentication:Schemes:{scheme}:X)</c>,
    /// or the JwtBearer name the value came from (<c>…:TokenValidationParameters:ClockSkew</c>, <c>…:BackchannelTimeout</c>).
    /// </summary>
    private static string Describe(string scheme, string setting, BearerJwtOptions options)
    {
        // The keys of the user-jwts format bind from SigningKeys, the configuration name ASP.NET Core reads too.
        var key = options.SettingSources.TryGetValue(setting, out var source) ? source
            : setting == nameof(BearerJwtOptions.VerificationKeys) ? "SigningKeys"
            : setting;
        return $"BearerJwtOptions.{setting.Replace(':', '.')} (Authentication:Schemes:{scheme}:{key})";
    }

    /// <summary>Whether configuration gave <paramref name="key"/> (or its <c>TokenValidationParameters</c> twin) a value that could not be read.</summary>
    private static bool IsUnreadable(BearerJwtOptions options, string key) =>
        options.ConfigurationPath is { } path
        && (options.UnreadableKeys.Contains($"{path}:{key}") || options.UnreadableKeys.Contains($"{path}:TokenValidationParameters:{key}"));

    private static void ValidateKeys(BearerJwtOptions options, Action<string, string> fail)
    {
        var remoteEntries = 0;
        string? unboundEntry = null;
        foreach (var (prefix, entry, requireHttps) in options.RemoteKeyEntries())
        {
            remoteEntries++;

            // An unreadable RequireHttpsMetadata is reported already; its default must not add "must use https".
            var httpsUnreadable = IsUnreadable(options, prefix + nameof(RemoteKeyAuthority.RequireHttpsMetadata))
                || (entry.RequireHttpsMetadata is null && IsUnreadable(options, nameof(BearerJwtOptions.RequireHttpsMetadata)));
            var endpoint = RemoteKeyEndpoint.Create(prefix, entry, requireHttps && !httpsUnreadable, options.MetadataIssuersOf(prefix), fail);
            if (endpoint is { MetadataAddress: null, Issuer: null })
            {
                unboundEntry ??= prefix + nameof(RemoteKeyAuthority.JwksUri);
            }
        }

        if (remoteEntries > 0)
        {
            foreach (var (setting, message) in options.RemoteKeys.FindProblems())
            {
                fail("RemoteKeys:" + setting, message);
            }
        }

        // A refused key was reported with its reason: the set it left empty, or an algorithm list that is itself
        // wrong, would only repeat that problem in other words.
        var keys = options.ConfiguredKeys;
        if (keys.Count == 0 && remoteEntries == 0 && options.KeyResolver is null && !options.KeySettingRefused)
        {
            fail(nameof(options.VerificationKeys), "is empty: configure SigningKeys, Jwks or JwksPath, a remote key source (Authority, MetadataAddress, JwksUri, Authorities), or set a KeyResolver.");
        }

        if (AlgorithmsAreKnown(options.ValidAlgorithms))
        {
            foreach (var problem in StaticKeyChecks.FindProblems(keys, [.. options.ValidAlgorithms]))
            {
                fail(nameof(options.VerificationKeys), problem);
            }
        }

        // An unreadable ValidateIssuer is reported already: whether an issuer is required is not known.
        var issuerRequired = options.ValidateIssuer && !IsUnreadable(options, nameof(options.ValidateIssuer));
        var issuerConfigured = !string.IsNullOrEmpty(options.ValidIssuer) || options.ValidIssuers.Count > 0;
        if (unboundEntry is not null && issuerRequired && !issuerConfigured)
        {
            fail(unboundEntry, "names a key set with no issuer: set the entry's Issuer or the scheme's ValidIssuer(s), so its keys vouch for a known issuer.");
        }

        // A custom resolver may bind its keys to issuers the options do not list; a remote entry is checked above.
        var someKeyBindsAnIssuer = remoteEntries > 0 || options.KeyResolver is not null || StaticKeyChecks.BindsAnIssuer(keys) || options.RefusedKeyNamedIssuer;
        if (issuerRequired && !issuerConfigured && !someKeyBindsAnIssuer && unboundEntry is null)
        {
            fail(nameof(options.ValidIssuer), "is required: set ValidIssuer or ValidIssuers, bind keys to an issuer, or (not recommended) set ValidateIssuer to false.");
        }
    }

    private static bool AlgorithmsAreKnown(IList<string> algorithms)
    {
        foreach (var algorithm in algorithms)
        {
            if (JwsAlgorithms.IndexOf(algorithm) < 0)
            {
                return false;
            }
        }

        return algorithms.Count > 0;
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

    /// <summary>A configured value quoted back in a message: cut to 64 characters, controls shown as '?'.</summary>
    private static string Printable(string value)
    {
        var text = value.Length > 64 ? value[..64] + "…" : value;
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}

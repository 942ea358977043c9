using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Binds <c>Authentication:Schemes:{scheme}</c> onto the options before the application's own configuration runs,
/// so code can still add to or override it. Read by hand (no reflection binder) to stay trimming- and AOT-safe and
/// to accept the <c>SigningKeys</c> format <c>dotnet user-jwts</c> writes. Values that cannot be read are recorded
/// and reported by options validation at start-up, naming the setting.
/// </summary>
internal sealed class BearerJwtConfigureOptions : IConfigureNamedOptions<BearerJwtOptions>
{
    private readonly IAuthenticationConfigurationProvider _configurationProvider;

    public BearerJwtConfigureOptions(IAuthenticationConfigurationProvider configurationProvider)
    {
        _configurationProvider = configurationProvider;
    }

    public void Configure(BearerJwtOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, BearerJwtOptions options)
    {
        if (string.IsNullOrEmpty(name))
        {
            return;
        }

        var section = _configurationProvider.GetSchemeConfiguration(name);
        if (!section.GetChildren().Any())
        {
            return;
        }

        var reader = new ConfigurationSectionReader(section, $"Authentication:Schemes:{name}", options.ConfigurationErrors);
        options.ValidIssuer = section["ValidIssuer"] ?? options.ValidIssuer;
        options.ValidAudience = section["ValidAudience"] ?? options.ValidAudience;
        reader.AddStrings("ValidIssuers", options.ValidIssuers, replace: false);
        reader.AddStrings("ValidAudiences", options.ValidAudiences, replace: false);

        // These two start from strict default lists: configuring them means "exactly these".
        reader.AddStrings("ValidAlgorithms", options.ValidAlgorithms, replace: true);
        reader.AddStrings("ValidTypes", options.ValidTypes, replace: true);
        reader.AddStrings("RoleClaimPaths", options.RoleClaimPaths, replace: false);

        options.ValidateIssuer = reader.Bool("ValidateIssuer") ?? options.ValidateIssuer;
        options.ValidateAudience = reader.Bool("ValidateAudience") ?? options.ValidateAudience;
        options.RequireExpirationTime = reader.Bool("RequireExpirationTime") ?? options.RequireExpirationTime;
        options.AllowMissingType = reader.Bool("AllowMissingType") ?? options.AllowMissingType;
        options.IncludeErrorDetails = reader.Bool("IncludeErrorDetails") ?? options.IncludeErrorDetails;
        options.WriteProblemDetails = reader.Bool("WriteProblemDetails") ?? options.WriteProblemDetails;
        options.ClockSkew = reader.TimeSpan("ClockSkew") ?? options.ClockSkew;
        options.MaxTokenSize = reader.Int("MaxTokenSize") ?? options.MaxTokenSize;
        options.RepeatTokenCacheSize = reader.Int("RepeatTokenCacheSize") ?? options.RepeatTokenCacheSize;
        options.NameClaimType = section["NameClaimType"] ?? options.NameClaimType;
        options.RoleClaimType = section["RoleClaimType"] ?? options.RoleClaimType;
        options.Realm = section["Realm"] ?? options.Realm;
        options.Jwks = section["Jwks"] ?? options.Jwks;
        options.JwksPath = section["JwksPath"] ?? options.JwksPath;
        options.TokenCookieName = section["TokenCookieName"] ?? options.TokenCookieName;
        options.QueryTokenParameter = section["QueryTokenParameter"] ?? options.QueryTokenParameter;
        foreach (var path in section.GetSection("QueryTokenPaths").GetChildren())
        {
            if (path.Value is { Length: > 0 } value)
            {
                if (value[0] == '/')
                {
                    options.QueryTokenPaths.Add(new PathString(value));
                }
                else
                {
                    options.ConfigurationErrors.Add($"{path.Path} must be a path starting with '/', not '{value}'.");
                }
            }
        }

        ReadSigningKeys(section.GetSection("SigningKeys"), options);
        BindRemoteKeys(section, reader, $"Authentication:Schemes:{name}", options);
    }

    /// <summary>
    /// The remote key settings: <c>Authority</c>, <c>MetadataAddress</c>, <c>JwksUri</c>, <c>RequireHttpsMetadata</c>,
    /// the <c>Authorities</c> list and the <c>RemoteKeys</c> section.
    /// </summary>
    private static void BindRemoteKeys(IConfiguration section, ConfigurationSectionReader reader, string path, BearerJwtOptions options)
    {
        var errors = options.ConfigurationErrors;
        options.Authority = section["Authority"] ?? options.Authority;
        options.MetadataAddress = section["MetadataAddress"] ?? options.MetadataAddress;
        options.JwksUri = section["JwksUri"] ?? options.JwksUri;
        options.RequireHttpsMetadata = reader.Bool("RequireHttpsMetadata") ?? options.RequireHttpsMetadata;

        foreach (var child in section.GetSection("Authorities").GetChildren())
        {
            var entry = new ConfigurationSectionReader(child, $"{path}:Authorities:{child.Key}", errors);
            options.Authorities.Add(new RemoteKeyAuthority
            {
                Authority = child["Authority"],
                MetadataAddress = child["MetadataAddress"],
                JwksUri = child["JwksUri"],
                Issuer = child["Issuer"],
                RequireHttpsMetadata = entry.Bool("RequireHttpsMetadata"),
                ValidateMetadataIssuer = entry.Bool("ValidateMetadataIssuer") ?? true,
            });
        }

        var remoteSection = section.GetSection("RemoteKeys");
        var remote = new ConfigurationSectionReader(remoteSection, path + ":RemoteKeys", errors);
        var settings = options.RemoteKeys;
        settings.RefreshInterval = remote.TimeSpan("RefreshInterval") ?? settings.RefreshInterval;
        settings.MinimumRefreshInterval = remote.TimeSpan("MinimumRefreshInterval") ?? settings.MinimumRefreshInterval;
        settings.MaximumRefreshInterval = remote.TimeSpan("MaximumRefreshInterval") ?? settings.MaximumRefreshInterval;
        settings.UnknownKeyCooldown = remote.TimeSpan("UnknownKeyCooldown") ?? settings.UnknownKeyCooldown;
        settings.FetchTimeout = remote.TimeSpan("FetchTimeout") ?? settings.FetchTimeout;
        settings.RefreshWaitTimeout = remote.TimeSpan("RefreshWaitTimeout") ?? settings.RefreshWaitTimeout;
        settings.MaximumStaleness = remote.TimeSpan("MaximumStaleness") ?? settings.MaximumStaleness;
        settings.RetryDelay = remote.TimeSpan("RetryDelay") ?? settings.RetryDelay;
        settings.MaximumRetryDelay = remote.TimeSpan("MaximumRetryDelay") ?? settings.MaximumRetryDelay;
        settings.MaximumResponseSize = remote.Int("MaximumResponseSize") ?? settings.MaximumResponseSize;
        settings.PrewarmOnStartup = remote.Bool("PrewarmOnStartup") ?? settings.PrewarmOnStartup;
        settings.AllowSymmetricKeys = remote.Bool("AllowSymmetricKeys") ?? settings.AllowSymmetricKeys;
        settings.HttpClientName = remoteSection["HttpClientName"] ?? settings.HttpClientName;
    }

    /// <summary>Reads symmetric keys in the <c>dotnet user-jwts</c> format: <c>Value</c> (base64), <c>Issuer</c>, optional <c>Id</c>, <c>Length</c>, <c>Algorithm</c>.</summary>
    private static void ReadSigningKeys(IConfigurationSection keys, BearerJwtOptions options)
    {
        foreach (var entry in keys.GetChildren())
        {
            var path = entry.Path;
            var value = entry["Value"];
            var bytes = value is null ? null : TryFromBase64(value);
            if (bytes is null)
            {
                options.ConfigurationErrors.Add($"{path}:Value must be a base64 key.");
                continue;
            }

            if (entry["Length"] is { } lengthText
                && (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length != bytes.Length))
            {
                options.ConfigurationErrors.Add($"{path}:Length is '{lengthText}' but the key has {bytes.Length} bytes.");
                continue;
            }

            try
            {
                options.VerificationKeys.Add(VerificationKey.Symmetric(bytes, entry["Algorithm"] ?? JwsAlgorithms.HS256, entry["Id"], entry["Issuer"]));
            }
            catch (ArgumentException ex)
            {
                options.ConfigurationErrors.Add($"{path}: {ex.Message}");
            }
        }
    }

    private static byte[]? TryFromBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bearer.Auth;

/// <summary>
/// Binds <c>Authentication:Schemes:{scheme}</c> onto the options before the application's own configuration runs,
/// so code can still add to or override it. Read by hand (no reflection binder) to stay trimming- and AOT-safe and
/// to accept the <c>SigningKeys</c> format <c>dotnet user-jwts</c> writes. Values that cannot be read are recorded
/// and reported by options validation at start-up, naming the setting; JwtBearer's names are read by
/// <see cref="JwtBearerKeys"/>; any other key is logged once as a warning naming the closest setting
/// (<see cref="ConfigurationKeys"/>).
/// </summary>
internal sealed class BearerJwtConfigureOptions : IConfigureNamedOptions<BearerJwtOptions>
{
    private readonly IAuthenticationConfigurationProvider _configurationProvider;
    private readonly ILogger _logger;

    /// <summary>The unknown keys already warned about: options are built again (a snapshot, a reload), warnings are not.</summary>
    private readonly ConcurrentDictionary<string, byte> _warned = new(StringComparer.OrdinalIgnoreCase);

    public BearerJwtConfigureOptions(IAuthenticationConfigurationProvider configurationProvider, ILoggerFactory? loggerFactory = null)
    {
        _configurationProvider = configurationProvider;
        _logger = (ILogger?)loggerFactory?.CreateLogger<BearerJwtConfigureOptions>() ?? NullLogger.Instance;
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

        var path = $"Authentication:Schemes:{name}";
        options.ConfigurationPath = path;
        var reader = new ConfigurationSectionReader(section, path, options.ConfigurationErrors, options.UnreadableKeys);
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
        options.SaveToken = reader.Bool("SaveToken") ?? options.SaveToken;
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
        foreach (var queryPath in section.GetSection("QueryTokenPaths").GetChildren())
        {
            if (queryPath.Value is { Length: > 0 } value)
            {
                if (value[0] == '/')
                {
                    options.QueryTokenPaths.Add(new PathString(value));
                }
                else
                {
                    options.ConfigurationErrors.Add($"{queryPath.Path} must be a path starting with '/', not '{value}'.");
                }
            }
        }

        // AuthenticationSchemeOptions: the base handler forwards authenticate, challenge and forbid to these schemes.
        options.ForwardDefault = section["ForwardDefault"] ?? options.ForwardDefault;
        options.ForwardAuthenticate = section["ForwardAuthenticate"] ?? options.ForwardAuthenticate;
        options.ForwardChallenge = section["ForwardChallenge"] ?? options.ForwardChallenge;
        options.ForwardForbid = section["ForwardForbid"] ?? options.ForwardForbid;
        options.ForwardSignIn = section["ForwardSignIn"] ?? options.ForwardSignIn;
        options.ForwardSignOut = section["ForwardSignOut"] ?? options.ForwardSignOut;

        ReadSigningKeys(section.GetSection("SigningKeys"), options);
        BindRemoteKeys(section, reader, path, options);
        JwtBearerKeys.Read(section, reader, path, options);
        WarnAboutUnknownKeys(section, path);
    }

    private void WarnAboutUnknownKeys(IConfiguration section, string path)
    {
        foreach (var (key, closest) in ConfigurationKeys.FindUnknown(section, path))
        {
            if (_warned.TryAdd(key, 0))
            {
                Log.UnknownConfigurationKey(_logger, key, closest);
            }
        }
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
        reader.AddStrings("AdditionalIssuers", options.AdditionalIssuers, replace: false);

        foreach (var child in section.GetSection("Authorities").GetChildren())
        {
            var entry = new ConfigurationSectionReader(child, $"{path}:Authorities:{child.Key}", errors, options.UnreadableKeys);
            var authority = new RemoteKeyAuthority
            {
                Authority = child["Authority"],
                MetadataAddress = child["MetadataAddress"],
                JwksUri = child["JwksUri"],
                Issuer = child["Issuer"],
                RequireHttpsMetadata = entry.Bool("RequireHttpsMetadata"),
                ValidateMetadataIssuer = entry.Bool("ValidateMetadataIssuer") ?? true,
            };
            entry.AddStrings("AdditionalIssuers", authority.AdditionalIssuers, replace: false);
            options.Authorities.Add(authority);
        }

        var remoteSection = section.GetSection("RemoteKeys");
        var remote = new ConfigurationSectionReader(remoteSection, path + ":RemoteKeys", errors, options.UnreadableKeys);
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

    /// <summary>
    /// Reads symmetric keys in the <c>dotnet user-jwts</c> format: <c>Value</c> (base64), <c>Issuer</c>, optional
    /// <c>Id</c>, <c>Length</c>, <c>Algorithm</c>. A refused entry is the one message about it: validation then does
    /// not also call the keys empty, nor ask for the issuer the entry names.
    /// </summary>
    private static void ReadSigningKeys(IConfigurationSection keys, BearerJwtOptions options)
    {
        foreach (var entry in keys.GetChildren())
        {
            var path = entry.Path;
            var value = entry["Value"];
            var bytes = value is null ? null : TryFromBase64(value);
            string? problem = null;
            if (bytes is null)
            {
                problem = $"{path}:Value must be a base64 key.";
            }
            else if (entry["Length"] is { } lengthText
                && (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length != bytes.Length))
            {
                problem = $"{path}:Length is '{lengthText}' but the key has {bytes.Length} bytes.";
            }
            else
            {
                try
                {
                    options.VerificationKeys.Add(VerificationKey.Symmetric(bytes, entry["Algorithm"] ?? JwsAlgorithms.HS256, entry["Id"], entry["Issuer"]));
                }
                catch (ArgumentException ex) when (KeyRefusal.Reason(ex) is { } reason)
                {
                    problem = KeyRefusal.Describe(path, reason);
                }
            }

            if (problem is not null)
            {
                options.ConfigurationErrors.Add(problem);
                options.KeySettingRefused = true;
                options.RefusedKeyNamedIssuer |= !string.IsNullOrEmpty(entry["Issuer"]);
            }
        }
    }

    private static byte[]? TryFromBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) ? buffer[..written] : null;
    }
}

using System.Globalization;
using Bearer.Auth.Keys;
using Bearer.Auth.Tokens;
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

        var reader = new SectionReader(section, $"Authentication:Schemes:{name}", options.ConfigurationErrors);
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
        Keys.Remote.RemoteKeyConfiguration.Bind(section, $"Authentication:Schemes:{name}", options);
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
                options.SigningKeys.Add(SigningKey.Symmetric(bytes, entry["Algorithm"] ?? JwsAlgorithms.HS256, entry["Id"], entry["Issuer"]));
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

    /// <summary>Typed reads of one section that record unreadable values instead of throwing.</summary>
    internal readonly struct SectionReader(IConfiguration section, string path, List<string> errors)
    {
        internal void AddStrings(string key, IList<string> target, bool replace)
        {
            var children = section.GetSection(key).GetChildren().ToList();
            var single = section[key];
            if (children.Count == 0 && single is null)
            {
                return;
            }

            if (replace)
            {
                target.Clear();
            }

            if (children.Count == 0 && single is not null)
            {
                target.Add(single);
                return;
            }

            foreach (var child in children)
            {
                if (child.Value is { Length: > 0 } value && !target.Contains(value))
                {
                    target.Add(value);
                }
            }
        }

        internal bool? Bool(string key)
        {
            var text = section[key];
            if (text is null)
            {
                return null;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            errors.Add($"{path}:{key} must be true or false, not '{text}'.");
            return null;
        }

        internal int? Int(string key)
        {
            var text = section[key];
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add($"{path}:{key} must be an integer, not '{text}'.");
            return null;
        }

        internal TimeSpan? TimeSpan(string key)
        {
            var text = section[key];
            if (text is null)
            {
                return null;
            }

            if (System.TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add($"{path}:{key} must be a time span such as 00:00:30, not '{text}'.");
            return null;
        }
    }
}

using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Bearer.Auth.Keys.Remote;

/// <summary>
/// Binds the remote key settings of <c>Authentication:Schemes:{scheme}</c> by hand (trimming- and AOT-safe):
/// <c>Authority</c>, <c>MetadataAddress</c>, <c>JwksUri</c>, <c>RequireHttpsMetadata</c>, the <c>Authorities</c>
/// list and the <c>RemoteKeys</c> section. Unreadable values are recorded for options validation.
/// </summary>
internal static class RemoteKeyConfiguration
{
    internal static void Bind(IConfiguration section, string path, BearerJwtOptions options)
    {
        var errors = options.ConfigurationErrors;
        options.Authority = section["Authority"] ?? options.Authority;
        options.MetadataAddress = section["MetadataAddress"] ?? options.MetadataAddress;
        options.JwksUri = section["JwksUri"] ?? options.JwksUri;
        options.RequireHttpsMetadata = Bool(section, "RequireHttpsMetadata", path, errors) ?? options.RequireHttpsMetadata;

        foreach (var child in section.GetSection("Authorities").GetChildren())
        {
            var childPath = $"{path}:Authorities:{child.Key}";
            options.Authorities.Add(new RemoteKeyAuthority
            {
                Authority = child["Authority"],
                MetadataAddress = child["MetadataAddress"],
                JwksUri = child["JwksUri"],
                Issuer = child["Issuer"],
                RequireHttpsMetadata = Bool(child, "RequireHttpsMetadata", childPath, errors),
                ValidateMetadataIssuer = Bool(child, "ValidateMetadataIssuer", childPath, errors) ?? true,
            });
        }

        var remote = section.GetSection("RemoteKeys");
        var remotePath = path + ":RemoteKeys";
        var settings = options.RemoteKeys;
        settings.RefreshInterval = Time(remote, "RefreshInterval", remotePath, errors) ?? settings.RefreshInterval;
        settings.MinimumRefreshInterval = Time(remote, "MinimumRefreshInterval", remotePath, errors) ?? settings.MinimumRefreshInterval;
        settings.MaximumRefreshInterval = Time(remote, "MaximumRefreshInterval", remotePath, errors) ?? settings.MaximumRefreshInterval;
        settings.UnknownKeyCooldown = Time(remote, "UnknownKeyCooldown", remotePath, errors) ?? settings.UnknownKeyCooldown;
        settings.FetchTimeout = Time(remote, "FetchTimeout", remotePath, errors) ?? settings.FetchTimeout;
        settings.RefreshWaitTimeout = Time(remote, "RefreshWaitTimeout", remotePath, errors) ?? settings.RefreshWaitTimeout;
        settings.MaximumStaleness = Time(remote, "MaximumStaleness", remotePath, errors) ?? settings.MaximumStaleness;
        settings.RetryDelay = Time(remote, "RetryDelay", remotePath, errors) ?? settings.RetryDelay;
        settings.MaximumRetryDelay = Time(remote, "MaximumRetryDelay", remotePath, errors) ?? settings.MaximumRetryDelay;
        settings.PrewarmOnStartup = Bool(remote, "PrewarmOnStartup", remotePath, errors) ?? settings.PrewarmOnStartup;
        settings.AllowSymmetricKeys = Bool(remote, "AllowSymmetricKeys", remotePath, errors) ?? settings.AllowSymmetricKeys;
        settings.HttpClientName = remote["HttpClientName"] ?? settings.HttpClientName;
        if (remote["MaximumResponseSize"] is { } sizeText)
        {
            if (int.TryParse(sizeText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
            {
                settings.MaximumResponseSize = size;
            }
            else
            {
                errors.Add($"{remotePath}:MaximumResponseSize must be an integer number of bytes, not '{sizeText}'.");
            }
        }
    }

    private static bool? Bool(IConfiguration section, string key, string path, List<string> errors)
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

    private static TimeSpan? Time(IConfiguration section, string key, string path, List<string> errors)
    {
        var text = section[key];
        if (text is null)
        {
            return null;
        }

        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add($"{path}:{key} must be a time span such as 00:00:30, not '{text}'.");
        return null;
    }
}

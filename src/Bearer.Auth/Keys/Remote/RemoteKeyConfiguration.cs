using Microsoft.Extensions.Configuration;
using SectionReader = Bearer.Auth.BearerJwtConfigureOptions.SectionReader;

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
        var reader = new SectionReader(section, path, errors);
        options.Authority = section["Authority"] ?? options.Authority;
        options.MetadataAddress = section["MetadataAddress"] ?? options.MetadataAddress;
        options.JwksUri = section["JwksUri"] ?? options.JwksUri;
        options.RequireHttpsMetadata = reader.Bool("RequireHttpsMetadata") ?? options.RequireHttpsMetadata;

        foreach (var child in section.GetSection("Authorities").GetChildren())
        {
            var entry = new SectionReader(child, $"{path}:Authorities:{child.Key}", errors);
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
        var remote = new SectionReader(remoteSection, path + ":RemoteKeys", errors);
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
}

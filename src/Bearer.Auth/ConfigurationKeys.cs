using Microsoft.Extensions.Configuration;

namespace Bearer.Auth;

/// <summary>
/// Every key the scheme's configuration section may hold, in one list, and the search for keys outside it (typos,
/// settings of other libraries): each is reported with the known setting it most resembles.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>
    /// The keys read from <c>Authentication:Schemes:{scheme}</c>, relative to it. <c>*</c> stands for any one segment
    /// (the index of a list entry). A list of values is listed twice, as the key (one value) and as <c>key:*</c>
    /// (its entries). To read a new key, add it here too, or it is reported as unknown.
    /// </summary>
    internal static readonly string[] All =
    [
        // Ours.
        "ValidIssuer", "ValidIssuers", "ValidIssuers:*",
        "ValidAudience", "ValidAudiences", "ValidAudiences:*",
        "ValidateIssuer", "ValidateAudience", "RequireExpirationTime", "ClockSkew",
        "ValidAlgorithms", "ValidAlgorithms:*", "ValidTypes", "ValidTypes:*", "AllowMissingType",
        "MaxTokenSize", "RepeatTokenCacheSize",
        "NameClaimType", "RoleClaimType", "RoleClaimPaths", "RoleClaimPaths:*",
        "Realm", "IncludeErrorDetails", "SaveToken", "WriteProblemDetails",
        "TokenCookieName", "QueryTokenParameter", "QueryTokenPaths", "QueryTokenPaths:*",
        "Jwks", "JwksPath",
        "SigningKeys:*:Value", "SigningKeys:*:Issuer", "SigningKeys:*:Id", "SigningKeys:*:Length", "SigningKeys:*:Algorithm",
        "Authority", "MetadataAddress", "JwksUri", "RequireHttpsMetadata", "AdditionalIssuers", "AdditionalIssuers:*",
        "Authorities:*:Authority", "Authorities:*:MetadataAddress", "Authorities:*:JwksUri", "Authorities:*:Issuer",
        "Authorities:*:RequireHttpsMetadata", "Authorities:*:ValidateMetadataIssuer",
        "Authorities:*:AdditionalIssuers", "Authorities:*:AdditionalIssuers:*",
        "RemoteKeys:RefreshInterval", "RemoteKeys:MinimumRefreshInterval", "RemoteKeys:MaximumRefreshInterval",
        "RemoteKeys:UnknownKeyCooldown", "RemoteKeys:FetchTimeout", "RemoteKeys:RefreshWaitTimeout",
        "RemoteKeys:MaximumStaleness", "RemoteKeys:RetryDelay", "RemoteKeys:MaximumRetryDelay",
        "RemoteKeys:MaximumResponseSize", "RemoteKeys:PrewarmOnStartup", "RemoteKeys:AllowSymmetricKeys",
        "RemoteKeys:HttpClientName",

        // AuthenticationSchemeOptions, which JwtBearer binds too.
        "ForwardDefault", "ForwardAuthenticate", "ForwardChallenge", "ForwardForbid", "ForwardSignIn", "ForwardSignOut",

        // JwtBearer's names (JwtBearerConfigureOptions, and JwtBearerOptions as users bind it): read by JwtBearerKeys.
        "Audience", "BackchannelTimeout", "RefreshInterval", "AutomaticRefreshInterval", "RefreshOnIssuerKeyNotFound",
        "MapInboundClaims", "Challenge",
        "TokenValidationParameters:ValidIssuer", "TokenValidationParameters:ValidIssuers", "TokenValidationParameters:ValidIssuers:*",
        "TokenValidationParameters:ValidAudience", "TokenValidationParameters:ValidAudiences", "TokenValidationParameters:ValidAudiences:*",
        "TokenValidationParameters:ValidateIssuer", "TokenValidationParameters:ValidateAudience",
        "TokenValidationParameters:RequireExpirationTime", "TokenValidationParameters:ClockSkew",
        "TokenValidationParameters:NameClaimType", "TokenValidationParameters:RoleClaimType",
        "TokenValidationParameters:ValidAlgorithms", "TokenValidationParameters:ValidAlgorithms:*",
        "TokenValidationParameters:ValidTypes", "TokenValidationParameters:ValidTypes:*",
        "TokenValidationParameters:ValidateLifetime", "TokenValidationParameters:RequireSignedTokens",
        "TokenValidationParameters:ValidateIssuerSigningKey", "TokenValidationParameters:RequireAudience",
        "TokenValidationParameters:IgnoreTrailingSlashWhenValidatingAudience",
    ];

    private static readonly string[][] Patterns = [.. All.Select(p => p.Split(':'))];

    /// <summary>
    /// The keys under <paramref name="section"/> (at <paramref name="path"/>) that no entry of <see cref="All"/> matches, each once (a list or
    /// section under an unknown key is one unknown key), with the closest known setting relative to the section, or
    /// <see langword="null"/> when none is close.
    /// </summary>
    internal static List<(string Path, string? Closest)> FindUnknown(IConfiguration section, string path)
    {
        var unknown = new List<(string, string?)>();
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (relative, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null || relative.Length == 0)
            {
                continue;
            }

            var segments = relative.Split(':');
            var unknownLength = FirstUnknownLength(segments);
            if (unknownLength > 0)
            {
                var key = string.Join(':', segments, 0, unknownLength);
                if (reported.Add(key))
                {
                    unknown.Add((path + ":" + key, Closest(segments[..unknownLength])));
                }
            }
        }

        return unknown;
    }

    /// <summary>
    /// How many leading segments of <paramref name="segments"/> it takes to leave every known key: 0 when the key is
    /// known (or lies under a known key).
    /// </summary>
    private static int FirstUnknownLength(string[] segments)
    {
        for (var length = 1; length <= segments.Length; length++)
        {
            var isKey = false;
            var isPrefix = false;
            foreach (var pattern in Patterns)
            {
                if (pattern.Length >= length && Matches(pattern, segments, length))
                {
                    isKey |= pattern.Length == length;
                    isPrefix = true;
                }
            }

            if (isKey)
            {
                return 0;
            }

            if (!isPrefix)
            {
                return length;
            }
        }

        return 0;
    }

    private static bool Matches(string[] pattern, string[] segments, int length)
    {
        for (var i = 0; i < length; i++)
        {
            if (pattern[i] != "*" && !pattern[i].Equals(segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The known setting most like <paramref name="unknown"/>: by edit distance of the last segment (case-insensitive,
    /// a swap of two letters counting once), or containing it; settings of the same section first.
    /// </summary>
    private static string? Closest(string[] unknown)
    {
        var name = unknown[^1];
        var threshold = Math.Clamp(name.Length / 4, 1, 3);
        string[]? best = null;
        var bestScore = double.MaxValue;
        foreach (var pattern in Patterns)
        {
            var leaf = pattern[^1];
            if (leaf == "*")
            {
                continue;
            }

            var distance = Distance(name.ToUpperInvariant(), leaf.ToUpperInvariant());
            double score = distance;
            if (distance > threshold)
            {
                var shorter = Math.Min(name.Length, leaf.Length);
                if (shorter < 5 || !(leaf.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(leaf, StringComparison.OrdinalIgnoreCase)))
                {
                    continue;
                }

                score = threshold + 0.5;
            }

            // A setting of the same section wins over an equally close one elsewhere ("FetchTimeout" at the top
            // finds RemoteKeys:FetchTimeout only because nothing at the top resembles it).
            var sameSection = pattern.Length == unknown.Length && Matches(pattern, unknown, unknown.Length - 1);
            score += sameSection ? 0 : 10;
            if (score < bestScore)
            {
                bestScore = score;
                best = pattern;
            }
        }

        if (best is null)
        {
            return null;
        }

        // Name list entries by the index the user wrote when the setting sits in the same entry.
        var named = new string[best.Length];
        for (var i = 0; i < best.Length; i++)
        {
            named[i] = best[i] != "*" ? best[i] : i < unknown.Length - 1 ? unknown[i] : "{i}";
        }

        return string.Join(':', named);
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

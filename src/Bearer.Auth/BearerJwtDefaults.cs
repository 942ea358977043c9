namespace Bearer.Auth;

/// <summary>Default values used by the bearer JWT authentication handler.</summary>
public static class BearerJwtDefaults
{
    /// <summary>The default authentication scheme name: <c>Bearer</c>.</summary>
    public const string AuthenticationScheme = "Bearer";

    /// <summary>The default clock skew: 30 seconds (tight enough to matter, loose enough for real clocks).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The default maximum token size in characters: 16 KiB.</summary>
    public const int MaxTokenSize = 16 * 1024;

    /// <summary>
    /// The default size of the repeat-token cache: 1,024 tokens, enough for the tokens a busy instance sees again
    /// within their lifetime, at about 2 MB for typical tokens.
    /// </summary>
    public const int RepeatTokenCacheSize = 1024;

    /// <summary>
    /// The name of the library's <see cref="System.Diagnostics.Metrics.Meter"/> and
    /// <see cref="System.Diagnostics.ActivitySource"/>: <c>Bearer.Auth</c>. Add it to your OpenTelemetry metrics and tracing.
    /// </summary>
    public const string TelemetryName = "Bearer.Auth";

    /// <summary>The default query parameter for tokens on opted-in paths (RFC 6750 §2.3): <c>access_token</c>.</summary>
    public const string QueryParameterName = "access_token";
}

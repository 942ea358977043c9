namespace Bearer.Auth;

/// <summary>The registered claims (RFC 7519 §4.1) validation needs, read from the payload in one pass.</summary>
internal struct RegisteredClaims
{
    /// <summary>The <c>iss</c>: the configured instance when it matched a valid issuer, otherwise the token's text.</summary>
    internal string? Issuer;

    /// <summary>Whether <see cref="Issuer"/> equals one of the configured valid issuers.</summary>
    internal bool IssuerIsConfigured;

    internal bool AudiencePresent;

    internal bool AudienceMatched;

    internal double? ExpiresAt;

    internal double? NotBefore;

    internal double? IssuedAt;
}

using System.Globalization;

namespace Bearer.Auth;

/// <summary>
/// The settings of a <see cref="BearerJwtTokenIssuer"/>: who issues the access tokens, for which audiences, signed
/// with which key, valid for how long. <see cref="Validate"/> lists what is wrong (for a start-up check); the issuer
/// refuses invalid settings when it is created.
/// </summary>
public sealed class BearerJwtIssuerOptions
{
    /// <summary>The shortest <see cref="AccessTokenLifetime"/>: one second, the resolution of <c>exp</c>.</summary>
    public static readonly TimeSpan MinimumAccessTokenLifetime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest <see cref="AccessTokenLifetime"/>: one day. Access tokens are meant to be short-lived (a revoked
    /// token stays on revocation lists until it expires); sessions last longer through refresh tokens.
    /// </summary>
    public static readonly TimeSpan MaximumAccessTokenLifetime = TimeSpan.FromDays(1);

    /// <summary>The RFC 9068 access token type, the default <see cref="TokenType"/>.</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>The generic JWT type (RFC 7519 §5.1), for validators that do not know <c>at+jwt</c>.</summary>
    public const string JwtType = "JWT";

    /// <summary>Gets or sets the issuer, the <c>iss</c> of every token (e.g. <c>https://login.example.com/</c>). Required.</summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Gets or sets the audiences, the <c>aud</c> of every token: a string when there is one, an array when there are
    /// several. At least one is required.
    /// </summary>
    public IList<string> Audiences { get; set; } = new List<string>();

    /// <summary>
    /// Gets or sets the key that signs every token; its algorithm is the <c>alg</c> and its id the <c>kid</c>. Required
    /// unless <see cref="SigningKeyRing"/> is set (not both).
    /// </summary>
    public SigningKey? SigningKey { get; set; }

    /// <summary>
    /// Gets or sets the ring whose current key signs each token, instead of one fixed <see cref="SigningKey"/>: keys
    /// are then created and rotated by the library. Its <see cref="BearerJwtKeyRingOptions.RetentionAfterRetirement"/>
    /// must cover <see cref="AccessTokenLifetime"/> plus <see cref="MaximumClockSkew"/>.
    /// </summary>
    public SigningKeyRing? SigningKeyRing { get; set; }

    /// <summary>
    /// The clock skew a validator may allow (5 minutes, the largest this library accepts): a ring keeps a retired key
    /// published at least the access-token lifetime plus this long.
    /// </summary>
    public static readonly TimeSpan MaximumClockSkew = TokenValidationSettings.MaximumClockSkew;

    /// <summary>
    /// Gets or sets how long an access token is valid: <c>exp</c> − <c>iat</c>, in whole seconds (a fraction of a
    /// second is dropped). Between <see cref="MinimumAccessTokenLifetime"/> and <see cref="MaximumAccessTokenLifetime"/>.
    /// Default: 15 minutes.
    /// </summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets the header's <c>typ</c>: <see cref="AccessTokenType"/> (<c>at+jwt</c>, RFC 9068, so an access
    /// token cannot be mistaken for an ID token) or <see cref="JwtType"/> (<c>JWT</c>). Default: <c>at+jwt</c>.
    /// </summary>
    public string TokenType { get; set; } = AccessTokenType;

    /// <summary>
    /// Lists what is wrong with these settings, one message per problem, each naming the setting and the value read
    /// (for <c>ValidateOptionsResult.Fail</c>).
    /// </summary>
    /// <returns>The problems; empty when the settings are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            problems.Add($"BearerJwtIssuerOptions.Issuer is required (the iss of every token), not {Quote(Issuer)}.");
        }

        if (Audiences is null || Audiences.Count == 0)
        {
            problems.Add("BearerJwtIssuerOptions.Audiences must list at least one audience (the aud of every token).");
        }
        else
        {
            for (var i = 0; i < Audiences.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(Audiences[i]))
                {
                    problems.Add($"BearerJwtIssuerOptions.Audiences[{i}] must be a non-empty audience, not {Quote(Audiences[i])}.");
                }
                else if (IndexOf(Audiences, Audiences[i]) < i)
                {
                    problems.Add($"BearerJwtIssuerOptions.Audiences[{i}] repeats '{Audiences[i]}'.");
                }
            }
        }

        if (SigningKey is null && SigningKeyRing is null)
        {
            problems.Add("BearerJwtIssuerOptions.SigningKey (or SigningKeyRing) is required (the key that signs every token), not null.");
        }
        else if (SigningKey is not null && SigningKeyRing is not null)
        {
            problems.Add($"BearerJwtIssuerOptions.SigningKey ('{SigningKey.KeyId}') and SigningKeyRing are both set; set one: a fixed key, or keys the ring rotates.");
        }
        else if (SigningKeyRing is not null && SigningKeyRing.RetentionAfterRetirement < AccessTokenLifetime + MaximumClockSkew)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"BearerJwtIssuerOptions.AccessTokenLifetime is {AccessTokenLifetime}; with the clock skew ({MaximumClockSkew}) it outlasts the ring's RetentionAfterRetirement ({SigningKeyRing.RetentionAfterRetirement}), so a token could outlive the key that verifies it. Shorten the lifetime or lengthen the retention."));
        }

        if (AccessTokenLifetime < MinimumAccessTokenLifetime || AccessTokenLifetime > MaximumAccessTokenLifetime)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"BearerJwtIssuerOptions.AccessTokenLifetime must be between {MinimumAccessTokenLifetime} and {MaximumAccessTokenLifetime}, not {AccessTokenLifetime}."));
        }

        if (!string.Equals(TokenType, AccessTokenType, StringComparison.Ordinal) && !string.Equals(TokenType, JwtType, StringComparison.Ordinal))
        {
            problems.Add($"BearerJwtIssuerOptions.TokenType must be '{AccessTokenType}' (RFC 9068) or '{JwtType}', not {Quote(TokenType)}.");
        }

        return problems;
    }

    private static string Quote(string? value) => value is null ? "null" : $"'{value}'";

    private static int IndexOf(IList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// Options for the bearer JWT handler. Every default is the strict one; each relaxing option says so. Bound from
/// <c>Authentication:Schemes:{scheme}</c> and merged with code (configuration first, then code).
/// </summary>
public sealed class BearerJwtOptions : AuthenticationSchemeOptions
{
    /// <summary>Creates options with the strict defaults.</summary>
    public BearerJwtOptions()
    {
        Events = new BearerJwtEvents();
    }

    /// <summary>Gets or sets the one valid issuer (<c>iss</c>). Combined with <see cref="ValidIssuers"/>. Default: none.</summary>
    public string? ValidIssuer { get; set; }

    /// <summary>Gets the valid issuers, compared ordinally and exactly. Default: empty.</summary>
    public IList<string> ValidIssuers { get; } = [];

    /// <summary>Gets or sets the one valid audience (<c>aud</c>). Combined with <see cref="ValidAudiences"/>. Default: none.</summary>
    public string? ValidAudience { get; set; }

    /// <summary>Gets the valid audiences, compared ordinally and exactly. Default: empty.</summary>
    public IList<string> ValidAudiences { get; } = [];

    /// <summary>
    /// Gets or sets whether <c>iss</c> must be one of the valid issuers or the issuer the verifying key is bound to.
    /// Default: <see langword="true"/>. Turning it off is a relaxation.
    /// </summary>
    public bool ValidateIssuer { get; set; } = true;

    /// <summary>
    /// Gets or sets whether <c>aud</c> must contain one of the valid audiences. Default: <see langword="true"/>.
    /// Turning it off is a relaxation.
    /// </summary>
    public bool ValidateAudience { get; set; } = true;

    /// <summary>Gets or sets whether tokens without <c>exp</c> are refused. Default: <see langword="true"/>.</summary>
    public bool RequireExpirationTime { get; set; } = true;

    /// <summary>Gets or sets the tolerated clock difference for <c>exp</c>, <c>nbf</c> and <c>iat</c>. Default: 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = BearerJwtDefaults.ClockSkew;

    /// <summary>
    /// Gets the algorithms a token's <c>alg</c> may name. Default: HS/RS/PS/ES 256/384/512. Each key is further
    /// bound to one algorithm, so this list can only narrow what the keys allow.
    /// </summary>
    public IList<string> ValidAlgorithms { get; } = [.. JwsAlgorithms.All];

    /// <summary>
    /// Gets the accepted <c>typ</c> values (case-insensitive; an <c>application/</c> prefix is optional). Default:
    /// <c>JWT</c>, <c>at+jwt</c>, <c>application/at+jwt</c>. For the RFC 9068 profile, keep only <c>at+jwt</c> and
    /// set <see cref="AllowMissingType"/> to <see langword="false"/>.
    /// </summary>
    public IList<string> ValidTypes { get; } = [.. TokenValidationSettings.DefaultTypes];

    /// <summary>Gets or sets whether a token without <c>typ</c> is accepted. Default: <see langword="true"/>.</summary>
    public bool AllowMissingType { get; set; } = true;

    /// <summary>Gets or sets the largest token accepted, in characters; checked before anything else. Default: 16384.</summary>
    public int MaxTokenSize { get; set; } = BearerJwtDefaults.MaxTokenSize;

    /// <summary>
    /// Gets the keys that verify tokens, configured in code. Configuration adds the keys of its <c>SigningKeys</c>
    /// section (the format <c>dotnet user-jwts</c> writes), <c>Jwks</c> and <c>JwksPath</c> to these. Default: empty.
    /// </summary>
    public IList<VerificationKey> VerificationKeys { get; } = [];

    /// <summary>Gets or sets a JSON Web Key Set (JSON text) whose keys verify tokens. Default: none.</summary>
    public string? Jwks { get; set; }

    /// <summary>Gets or sets the path of a file holding a JSON Web Key Set. Default: none.</summary>
    public string? JwksPath { get; set; }

    /// <summary>
    /// Gets or sets the OpenID Provider whose keys verify tokens, found by discovery at
    /// <c>{Authority}/.well-known/openid-configuration</c>. The metadata's <c>issuer</c> must equal it, ignoring one
    /// trailing <c>/</c> and nothing else, and becomes (exactly as the metadata writes it) a valid issuer for tokens
    /// signed by that provider's keys only. Default: none.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Gets or sets the URL of the OpenID Provider metadata, when it is not under <see cref="Authority"/> (Azure AD
    /// B2C: <c>…/v2.0/.well-known/openid-configuration?p={policy}</c>). Without <see cref="Authority"/>, the
    /// metadata's <c>issuer</c> must equal <see cref="ValidIssuer"/> or one of <see cref="ValidIssuers"/> that no other
    /// source or configured key claims (or the address without its <c>/.well-known/openid-configuration</c> suffix),
    /// and binds the provider's keys to it. Default: none.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// Gets further issuers the keys of <see cref="Authority"/>, <see cref="MetadataAddress"/> or
    /// <see cref="JwksUri"/> may sign for, besides that source's own issuer: for a provider that signs several
    /// issuers' tokens with one key set, such as Entra ID's v1 (<c>https://sts.windows.net/{tenant}/</c>) and v2
    /// tokens. Compared exactly; each is valid for tokens those keys verify. Default: empty.
    /// </summary>
    public IList<string> AdditionalIssuers { get; } = [];

    /// <summary>
    /// Gets or sets the URL of a bare JSON Web Key Set (no discovery). Its keys are not bound to an issuer: tokens
    /// must name one of <see cref="ValidIssuers"/>; to bind them, use an <see cref="Authorities"/> entry with
    /// <c>Issuer</c>. Default: none.
    /// </summary>
    public string? JwksUri { get; set; }

    /// <summary>
    /// Gets or sets whether metadata and key set URLs must use HTTPS. Turn it off only for local development: even
    /// loopback <c>http</c> is refused while it is on. Default: <see langword="true"/>.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Gets further remote key sources (OpenID Providers or bare key sets), each binding its keys to its own issuer,
    /// in addition to <see cref="Authority"/>, <see cref="MetadataAddress"/> and <see cref="JwksUri"/>. Default: empty.
    /// </summary>
    public IList<RemoteKeyAuthority> Authorities { get; } = [];

    /// <summary>Gets how remote key sets are fetched, cached and refreshed.</summary>
    public RemoteKeySetOptions RemoteKeys { get; } = new();

    /// <summary>Gets or sets the claim type used for <see cref="System.Security.Claims.ClaimsIdentity.Name"/>; <c>sub</c> when the token has none. Default: <c>name</c>.</summary>
    public string NameClaimType { get; set; } = "name";

    /// <summary>Gets or sets the claim type roles are mapped to (used by <c>[Authorize(Roles = …)]</c>). Default: <c>role</c>.</summary>
    public string RoleClaimType { get; set; } = "role";

    /// <summary>Gets the claims read as roles: a top-level claim by its exact name (e.g. <c>groups</c>, <c>https://example.com/roles</c>) or a dotted path to a nested array (e.g. <c>realm_access.roles</c>). Default: empty.</summary>
    public IList<string> RoleClaimPaths { get; } = [];

    /// <summary>
    /// Gets or sets the name of a cookie that may carry the token (for the HttpOnly-cookie pattern), compared
    /// case-sensitively. Default: none (off).
    /// </summary>
    /// <remarks>
    /// Precedence: a request whose <c>Authorization</c> header carries <c>Bearer</c> credentials is judged by that
    /// header alone, and the cookie is not read (an API client on the same site as a browser session cannot keep
    /// the browser's cookie out of its requests); a bad header token is refused, never replaced by the cookie. A
    /// header of another scheme (<c>Basic</c>) does not hide the cookie. The cookie and a query-string token
    /// together are refused (<see cref="TokenFailureReason.TokenMultiple"/>), as is the cookie name sent twice. The
    /// cookie's value goes through the same checks as a header token (<see cref="MaxTokenSize"/> first). A cookie is
    /// an ambient credential: an application that turns this on must refuse cross-site state-changing requests that
    /// it authenticates (fetch metadata or <c>Origin</c> checks, antiforgery tokens) and should name the cookie with
    /// the <c>__Host-</c> prefix (<c>Secure</c>, <c>Path=/</c>, no <c>Domain</c>).
    /// </remarks>
    public string? TokenCookieName { get; set; }

    /// <summary>Gets or sets the query parameter that may carry the token on <see cref="QueryTokenPaths"/>. Default: <c>access_token</c>.</summary>
    public string QueryTokenParameter { get; set; } = BearerJwtDefaults.QueryParameterName;

    /// <summary>Gets the path prefixes (e.g. a SignalR hub) on which a token may come in the query string. Default: empty (off).</summary>
    public IList<PathString> QueryTokenPaths { get; } = [];

    /// <summary>Gets or sets the <c>realm</c> sent in challenges. Default: none.</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// Gets or sets whether challenges and problem bodies include <c>error_description</c> (<c>detail</c>) and the
    /// machine-readable <c>reason</c>. They use fixed wording per reason and never echo token content. Off, a challenge
    /// keeps only <c>error</c> (and a 403 its <c>scope</c>). Default: <see langword="true"/>.
    /// </summary>
    public bool IncludeErrorDetails { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the validated token is kept in the authentication properties as <c>access_token</c>, so
    /// that <c>HttpContext.GetTokenAsync("access_token")</c> returns it (for example to call another API on the
    /// user's behalf). As with JwtBearer, it is stored after <see cref="BearerJwtEvents.OnTokenValidated"/>, and not
    /// when that event ends authentication itself. Default: <see langword="false"/>.
    /// </summary>
    public bool SaveToken { get; set; }

    /// <summary>
    /// Gets or sets whether the scheme's 400, 401, 403 and 503 responses carry an RFC 9457
    /// <c>application/problem+json</c> body (<c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, and the
    /// <c>error</c>, <c>reason</c> and <c>scope</c> the challenge names). Written through the app's
    /// <c>IProblemDetailsService</c> when one is registered (<c>services.AddProblemDetails()</c>), else directly.
    /// No body is written when an event handled the response or the response has started. Default:
    /// <see langword="true"/>.
    /// </summary>
    public bool WriteProblemDetails { get; set; } = true;

    /// <summary>
    /// Gets or sets how many already-verified tokens are remembered so that the same token, presented again, skips
    /// parsing and signature verification (clients reuse an access token for many requests). Default:
    /// <see cref="BearerJwtDefaults.RepeatTokenCacheSize"/> (1,024); 0 turns the cache off.
    /// </summary>
    /// <remarks>
    /// The cache is keyed by the exact token text. Every request still resolves the key (an entry whose key is no
    /// longer returned by the key resolver is dropped), checks the issuer, <c>exp</c>/<c>nbf</c>/<c>iat</c> against the
    /// clock, the audience, and runs the revocation check. An entry is never served at or after the token's
    /// <c>exp</c>, tokens without <c>exp</c> are not cached, and a token is admitted only on its second successful
    /// validation, so a flood of distinct tokens does not enter or displace entries in use. Each entry holds the
    /// token text, its decoded payload when something read it, and the claims the default mapper derived from it
    /// (at most 64 claims and 2,048 value characters): roughly 2 KB for a typical access token; tokens over 4,096
    /// characters are never cached, so no entry exceeds about 20 KB (the default size bounds the cache near 20 MB at
    /// worst, about 2 MB for typical tokens). At most 1,000,000.
    /// </remarks>
    public int RepeatTokenCacheSize { get; set; } = BearerJwtDefaults.RepeatTokenCacheSize;

    /// <summary>
    /// Gets or sets a key resolver of the application's own. It is asked together with the configured keys and remote
    /// sources, never instead of them. Default: none.
    /// </summary>
    public IKeyResolver? KeyResolver { get; set; }

    /// <summary>
    /// Gets or sets the revocation check. Default: the <see cref="ITokenRevocationCheck"/> registered in DI, else the
    /// <see cref="ITokenRevocationStore"/> registered in DI, else none (no token is revoked).
    /// </summary>
    public ITokenRevocationCheck? RevocationCheck { get; set; }

    /// <summary>Gets or sets the claims mapper. Default: the <see cref="IClaimsMapper"/> registered in DI, else the built-in mapping.</summary>
    public IClaimsMapper? ClaimsMapper { get; set; }

    /// <summary>Gets or sets the events the application handles. Default: a new <see cref="BearerJwtEvents"/>.</summary>
    public new BearerJwtEvents Events
    {
        get => (BearerJwtEvents)base.Events!;
        set => base.Events = value;
    }

    /// <summary>
    /// Gets the settings the scheme validates tokens with, built from these options at start-up (and
    /// <see langword="null"/> before): create a <see cref="BearerJwtValidator"/> from them to validate a token the way
    /// the scheme does, outside a request.
    /// </summary>
    public TokenValidationSettings? ValidationSettings { get; internal set; }

    /// <summary>Problems found while reading configuration, reported by options validation at start-up.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>The scheme's configuration section (<c>Authentication:Schemes:{scheme}</c>) when it was read.</summary>
    internal string? ConfigurationPath { get; set; }

    /// <summary>The full configuration keys whose values could not be read (reported once, with the text read).</summary>
    internal HashSet<string> UnreadableKeys { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The configuration key a setting was read from when it is not the setting's own name, relative to the scheme's
    /// section (e.g. <c>ClockSkew</c> → <c>TokenValidationParameters:ClockSkew</c>), so messages name what was written.
    /// </summary>
    internal Dictionary<string, string> SettingSources { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether a configured key (SigningKeys, Jwks, JwksPath, or one added in code) was refused and reported.</summary>
    internal bool KeySettingRefused { get; set; }

    /// <summary>Whether a refused <c>SigningKeys</c> entry named an issuer (which then needs no separate ValidIssuer).</summary>
    internal bool RefusedKeyNamedIssuer { get; set; }

    /// <summary>Whether the configure delegate of <c>AddBearerJwt</c> stopped at a refused key, leaving the options partial.</summary>
    internal bool CodeConfigurationStopped { get; set; }

    /// <summary>What tokens are expected to carry, described once for the Debug log of rejected tokens (built on first use).</summary>
    internal string? ExpectedTokenValues { get; set; }

    /// <summary>The fixed keys of the scheme: <see cref="VerificationKeys"/> plus those of <c>Jwks</c> and <c>JwksPath</c>.</summary>
    internal IReadOnlyList<VerificationKey> ConfiguredKeys { get; set; } = [];

    /// <summary>The valid issuers: <see cref="ValidIssuer"/> then <see cref="ValidIssuers"/>.</summary>
    internal string[] AllValidIssuers() => OneThenMany(ValidIssuer, ValidIssuers);

    /// <summary>The valid audiences: <see cref="ValidAudience"/> then <see cref="ValidAudiences"/>.</summary>
    internal string[] AllValidAudiences() => OneThenMany(ValidAudience, ValidAudiences);

    /// <summary>
    /// The valid issuers the metadata of the remote entry at <paramref name="prefix"/> may name when the entry gives
    /// neither <c>Authority</c> nor <c>Issuer</c> (a <see cref="MetadataAddress"/>, as Azure AD B2C is configured):
    /// for the scheme's own entry, <see cref="ValidIssuer"/>/<see cref="ValidIssuers"/> less every issuer another
    /// source or a configured key claims (so one provider's metadata can never bind its keys to another's issuer);
    /// for an <see cref="Authorities"/> entry, none (it names its issuer).
    /// </summary>
    internal List<string> MetadataIssuersOf(string prefix)
    {
        var candidates = new List<string>();
        if (prefix.Length != 0)
        {
            return candidates;
        }

        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var authority in Authorities)
        {
            claimed.UnionWith(RemoteKeyEndpoint.StatedIssuers(authority));
            claimed.UnionWith(authority.AdditionalIssuers);
        }

        // Set by post-configuration (before the sources are built and validated): code keys and configured key sets.
        foreach (var key in ConfiguredKeys)
        {
            if (key.Issuer is not null)
            {
                claimed.Add(key.Issuer);
            }
        }

        foreach (var issuer in AllValidIssuers())
        {
            if (!claimed.Contains(issuer) && !AdditionalIssuers.Contains(issuer))
            {
                candidates.Add(issuer);
            }
        }

        return candidates;
    }

    /// <summary>The remote key sources the scheme created (and stops at shutdown), if any.</summary>
    internal RemoteKeyResolver? OwnedKeySources { get; set; }

    /// <summary>The validator built by post-configuration from <see cref="ValidationSettings"/>.</summary>
    internal BearerJwtValidator? Validator { get; set; }

    /// <summary>The scheme's instruments, shared with its validator.</summary>
    internal BearerJwtTelemetry? Telemetry { get; set; }

    /// <summary>
    /// The remote key sources configured: the top-level <c>Authority</c>/<c>MetadataAddress</c>/<c>JwksUri</c> (if
    /// any) then <c>Authorities</c>, each with its configuration prefix and whether its URLs must use HTTPS.
    /// </summary>
    internal IEnumerable<(string Setting, RemoteKeyAuthority Entry, bool RequireHttps)> RemoteKeyEntries()
    {
        if (Authority is not null || MetadataAddress is not null || JwksUri is not null)
        {
            var entry = new RemoteKeyAuthority { Authority = Authority, MetadataAddress = MetadataAddress, JwksUri = JwksUri };
            foreach (var issuer in AdditionalIssuers)
            {
                entry.AdditionalIssuers.Add(issuer);
            }

            yield return (string.Empty, entry, RequireHttpsMetadata);
        }

        for (var i = 0; i < Authorities.Count; i++)
        {
            var authority = Authorities[i];
            yield return ($"Authorities:{i}:", authority, authority.RequireHttpsMetadata ?? RequireHttpsMetadata);
        }
    }

    private static string[] OneThenMany(string? single, IList<string> many) =>
        string.IsNullOrEmpty(single) ? [.. many] : [single, .. many];
}

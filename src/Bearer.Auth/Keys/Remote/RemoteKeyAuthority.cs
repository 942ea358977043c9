namespace Bearer.Auth;

/// <summary>
/// One remote key source of a scheme: an OpenID Provider found by discovery (<see cref="Authority"/> or
/// <see cref="MetadataAddress"/>) or a bare JSON Web Key Set (<see cref="JwksUri"/>). The keys of each source are
/// bound to that source's issuer, so a key of one authority never verifies a token of another.
/// </summary>
public sealed class RemoteKeyAuthority
{
    /// <summary>
    /// Gets or sets the OpenID Provider's issuer identifier, e.g. <c>https://login.example.com/tenant</c>. Its
    /// metadata is read from <c>{Authority}/.well-known/openid-configuration</c> unless <see cref="MetadataAddress"/>
    /// is set, and the document's <c>issuer</c> must equal it, ignoring one trailing <c>/</c> and nothing else
    /// (Keycloak's and Auth0's documented authorities differ from their issuers by that slash). The document's
    /// <c>issuer</c>, exactly as written, is then the issuer these keys are bound to. Default: none.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Gets or sets the absolute URL of the OpenID Provider metadata document, when it is not at the standard place
    /// under <see cref="Authority"/>. Default: none.
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>
    /// Gets or sets the absolute URL of a bare JSON Web Key Set (no discovery). Its keys are bound to
    /// <see cref="Issuer"/> when set; otherwise they are unbound and a token's <c>iss</c> must be one of the scheme's
    /// <c>ValidIssuers</c>. Cannot be combined with <see cref="Authority"/> or <see cref="MetadataAddress"/>. Default: none.
    /// </summary>
    public string? JwksUri { get; set; }

    /// <summary>
    /// Gets or sets the issuer this source's keys are bound to. With discovery it is the issuer the metadata must
    /// name, exactly. Unset, the metadata's issuer must be <see cref="Authority"/> (ignoring one trailing <c>/</c>)
    /// or, with <see cref="MetadataAddress"/> alone, the address without its
    /// <c>/.well-known/openid-configuration</c> suffix, so a metadata address that does not end with it needs this
    /// setting. (Only the scheme's own <c>MetadataAddress</c>, the way Azure AD B2C is configured, may instead name one
    /// of the scheme's <c>ValidIssuer(s)</c>.) With <see cref="JwksUri"/> it is the issuer the keys vouch for.
    /// Default: none.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>
    /// Gets further issuers this source's keys may sign for, besides its own issuer: for a provider that signs tokens
    /// of several issuers with one key set, such as Entra ID's v1 (<c>https://sts.windows.net/{tenant}/</c>) and v2
    /// (<c>https://login.microsoftonline.com/{tenant}/v2.0</c>) tokens. Each is compared exactly, and is valid for
    /// tokens these keys verify. Needs an issuer binding (discovery, or <see cref="Issuer"/> with
    /// <see cref="JwksUri"/>). Default: empty.
    /// </summary>
    public IList<string> AdditionalIssuers { get; } = [];

    /// <summary>
    /// Gets or sets whether metadata and key set URLs (configured or discovered) must use HTTPS. <see langword="null"/>
    /// inherits the scheme's <c>RequireHttpsMetadata</c>. Default: <see langword="null"/>.
    /// </summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>
    /// Gets or sets whether the discovery document's <c>issuer</c> must equal the expected issuer. When turned off
    /// (a relaxation, for providers whose metadata names another issuer), the document's <c>issuer</c> is still the
    /// one issuer these keys are bound to. Default: <see langword="true"/>.
    /// </summary>
    public bool ValidateMetadataIssuer { get; set; } = true;
}

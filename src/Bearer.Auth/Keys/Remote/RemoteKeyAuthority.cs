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
    /// is set, and the document's <c>issuer</c> must equal it exactly (OpenID Connect Discovery §4.3). Default: none.
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
    /// name (default: <see cref="Authority"/>, or the <see cref="MetadataAddress"/> without its
    /// <c>/.well-known/openid-configuration</c> suffix); with <see cref="JwksUri"/> it is the issuer the keys vouch
    /// for. Default: none.
    /// </summary>
    public string? Issuer { get; set; }

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

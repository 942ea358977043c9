namespace Bearer.Auth;

/// <summary>
/// A checked, normalized <see cref="RemoteKeyAuthority"/>: where to fetch from, which issuer to expect and bind.
/// The same checks serve options validation (to name the bad setting) and composition (to build sources).
/// </summary>
internal sealed class RemoteKeyEndpoint
{
    internal const string DiscoverySuffix = "/.well-known/openid-configuration";

    private RemoteKeyEndpoint(string label, Uri? metadataAddress, Uri? jwksUri, string? issuer, bool validateMetadataIssuer, bool requireHttps)
    {
        Label = label;
        MetadataAddress = metadataAddress;
        JwksUri = jwksUri;
        Issuer = issuer;
        ValidateMetadataIssuer = validateMetadataIssuer;
        RequireHttps = requireHttps;
    }

    /// <summary>The URL this source is known by in logs and health reports (never a secret).</summary>
    internal string Label { get; }

    /// <summary>The discovery document's URL, or null for a bare key set.</summary>
    internal Uri? MetadataAddress { get; }

    /// <summary>The key set's URL when there is no discovery.</summary>
    internal Uri? JwksUri { get; }

    /// <summary>With discovery: the issuer the metadata must name (when validated). Without: the issuer keys are bound to.</summary>
    internal string? Issuer { get; }

    internal bool ValidateMetadataIssuer { get; }

    internal bool RequireHttps { get; }

    /// <summary>
    /// The issuer known before any fetch, used to route tokens: tokens of other issuers never cause a fetch here.
    /// Null when the keys are unbound or the issuer is only learnt from unvalidated metadata.
    /// </summary>
    internal string? KnownIssuer => MetadataAddress is null || ValidateMetadataIssuer ? Issuer : null;

    /// <summary>Checks one entry; on failure reports each problem as (setting, message) and returns null.</summary>
    internal static RemoteKeyEndpoint? Create(string prefix, RemoteKeyAuthority entry, bool requireHttps, Action<string, string> fail)
    {
        var ok = true;
        void Problem(string setting, string message)
        {
            ok = false;
            fail(prefix + setting, message);
        }

        var authority = Check(entry.Authority, nameof(RemoteKeyAuthority.Authority), requireHttps, isIssuer: true, Problem);
        var metadata = Check(entry.MetadataAddress, nameof(RemoteKeyAuthority.MetadataAddress), requireHttps, isIssuer: false, Problem);
        var jwks = Check(entry.JwksUri, nameof(RemoteKeyAuthority.JwksUri), requireHttps, isIssuer: false, Problem);
        if (entry.Issuer is { Length: 0 })
        {
            Problem(nameof(RemoteKeyAuthority.Issuer), "must not be empty.");
        }

        if (jwks is not null && (entry.Authority is not null || entry.MetadataAddress is not null))
        {
            Problem(nameof(RemoteKeyAuthority.JwksUri), "cannot be combined with Authority or MetadataAddress: use discovery or a bare key set, not both.");
        }

        if (entry.Authority is null && entry.MetadataAddress is null && entry.JwksUri is null)
        {
            Problem(nameof(RemoteKeyAuthority.Authority), "is required: set Authority, MetadataAddress or JwksUri.");
        }

        if (!ok)
        {
            return null;
        }

        if (jwks is not null)
        {
            return new RemoteKeyEndpoint(jwks.AbsoluteUri, null, jwks, entry.Issuer, validateMetadataIssuer: false, requireHttps);
        }

        metadata ??= new Uri(entry.Authority!.TrimEnd('/') + DiscoverySuffix, UriKind.Absolute);
        var issuer = entry.Issuer ?? entry.Authority;
        if (issuer is null && entry.MetadataAddress!.EndsWith(DiscoverySuffix, StringComparison.Ordinal))
        {
            // The issuer is the text the suffix was appended to, as written (not a normalized URL).
            issuer = entry.MetadataAddress[..^DiscoverySuffix.Length];
        }

        if (issuer is null && entry.ValidateMetadataIssuer)
        {
            fail(prefix + nameof(RemoteKeyAuthority.Issuer), "is required when MetadataAddress does not end with /.well-known/openid-configuration: it is the issuer the metadata must name.");
            return null;
        }

        return new RemoteKeyEndpoint(metadata.AbsoluteUri, metadata, null, issuer, entry.ValidateMetadataIssuer, requireHttps);
    }

    /// <summary>Whether <paramref name="uri"/> may be fetched: absolute http(s), HTTPS unless allowed otherwise, no credentials or fragment.</summary>
    internal static string? ProblemWith(Uri uri, bool requireHttps)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "must be an absolute http or https URL.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && requireHttps)
        {
            return "must use https while RequireHttpsMetadata is true (set it to false only for local development).";
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return "must not contain credentials or a fragment.";
        }

        return null;
    }

    private static Uri? Check(string? value, string setting, bool requireHttps, bool isIssuer, Action<string, string> problem)
    {
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            problem(setting, $"must be an absolute URL, not '{value}'.");
            return null;
        }

        var issue = ProblemWith(uri, requireHttps);
        if (issue is null && isIssuer && uri.Query.Length > 0)
        {
            issue = "must not contain a query (an issuer identifier has none).";
        }

        if (issue is not null)
        {
            problem(setting, issue);
            return null;
        }

        return uri;
    }
}

namespace Bearer.Auth;

/// <summary>
/// A checked, normalized <see cref="RemoteKeyAuthority"/>: where to fetch from, which issuer to expect and bind.
/// The same checks serve options validation (to name the bad setting) and composition (to build sources).
/// </summary>
internal sealed class RemoteKeyEndpoint
{
    internal const string DiscoverySuffix = "/.well-known/openid-configuration";

    private RemoteKeyEndpoint(
        string label,
        Uri? metadataAddress,
        Uri? jwksUri,
        string? issuer,
        string[] expectedIssuers,
        string[] boundBeforeFetch,
        string[] additionalIssuers,
        bool validateMetadataIssuer,
        bool requireHttps)
    {
        Label = label;
        MetadataAddress = metadataAddress;
        JwksUri = jwksUri;
        Issuer = issuer;
        ExpectedIssuers = expectedIssuers;
        BoundBeforeFetch = boundBeforeFetch;
        AdditionalIssuers = additionalIssuers;
        ValidateMetadataIssuer = validateMetadataIssuer;
        RequireHttps = requireHttps;
    }

    /// <summary>The URL this source is known by in logs and health reports (never a secret).</summary>
    internal string Label { get; }

    /// <summary>The discovery document's URL, or null for a bare key set.</summary>
    internal Uri? MetadataAddress { get; }

    /// <summary>The key set's URL when there is no discovery.</summary>
    internal Uri? JwksUri { get; }

    /// <summary>
    /// Without discovery: the issuer the keys are bound to (null: unbound). With discovery: the issuer as configured
    /// (<c>Issuer</c> or <c>Authority</c>), for reports only; the bound issuer is the one the metadata names.
    /// </summary>
    internal string? Issuer { get; }

    /// <summary>
    /// The issuers this source's keys may be bound to before a fetch says which: with discovery, the values the
    /// metadata's <c>issuer</c> may take (empty when it is not validated); without, the configured issuer, if any.
    /// </summary>
    internal string[] ExpectedIssuers { get; }

    /// <summary>
    /// The expected issuers this source counts as bound before its first fetch, so that no unbound key serves them
    /// meanwhile: the configured issuer (<c>Issuer</c>, <c>Authority</c> with and without one trailing slash, or the
    /// address's prefix) and a valid issuer the metadata may name when it is the only one. Of several valid issuers
    /// the metadata may name, it names one: binding them all before it says which would let this provider's outage
    /// refuse the tokens of the others, which other keys serve.
    /// </summary>
    internal string[] BoundBeforeFetch { get; }

    /// <summary>Further issuers the keys may sign for (<see cref="RemoteKeyAuthority.AdditionalIssuers"/>).</summary>
    internal string[] AdditionalIssuers { get; }

    internal bool ValidateMetadataIssuer { get; }

    internal bool RequireHttps { get; }

    /// <summary>Whether the metadata's <paramref name="issuer"/> is one this source accepts (always, when not validated).</summary>
    internal bool AcceptsMetadataIssuer(string issuer) =>
        !ValidateMetadataIssuer || Array.IndexOf(ExpectedIssuers, issuer) >= 0;

    /// <summary>Checks one entry; on failure reports each problem as (setting, message) and returns null.</summary>
    /// <param name="prefix">The entry's configuration prefix: empty for the scheme's own settings, else <c>Authorities:{i}:</c>.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="requireHttps">Whether its URLs must use HTTPS.</param>
    /// <param name="metadataIssuers">
    /// The valid issuers a metadata document found by <c>MetadataAddress</c> (without <c>Authority</c> or <c>Issuer</c>)
    /// may name: the scheme's own <c>ValidIssuer(s)</c> for the scheme's own entry, less those other sources and keys
    /// claim; none for an <c>Authorities</c> entry, which names its issuer.
    /// </param>
    /// <param name="fail">Receives each problem.</param>
    internal static RemoteKeyEndpoint? Create(
        string prefix, RemoteKeyAuthority entry, bool requireHttps, IReadOnlyList<string> metadataIssuers, Action<string, string> fail)
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

        var additionalIssuers = new List<string>();
        foreach (var additional in entry.AdditionalIssuers)
        {
            if (string.IsNullOrEmpty(additional))
            {
                Problem(nameof(RemoteKeyAuthority.AdditionalIssuers), "must not contain an empty issuer.");
            }
            else if (!additionalIssuers.Contains(additional))
            {
                additionalIssuers.Add(additional);
            }
        }

        if (jwks is not null && (entry.Authority is not null || entry.MetadataAddress is not null))
        {
            Problem(nameof(RemoteKeyAuthority.JwksUri), "cannot be combined with Authority or MetadataAddress: use discovery or a bare key set, not both.");
        }

        if (entry.Authority is null && entry.MetadataAddress is null && entry.JwksUri is null)
        {
            Problem(nameof(RemoteKeyAuthority.Authority), "is required: set Authority, MetadataAddress or JwksUri.");
        }

        if (additionalIssuers.Count > 0 && ((jwks is not null && entry.Issuer is null) || (jwks is null && !entry.ValidateMetadataIssuer)))
        {
            Problem(nameof(RemoteKeyAuthority.AdditionalIssuers), "needs keys bound to an issuer: with JwksUri set Issuer, with discovery keep ValidateMetadataIssuer on.");
        }

        if (!ok)
        {
            return null;
        }

        if (jwks is not null)
        {
            string[] bound = entry.Issuer is null ? [] : [entry.Issuer];
            return new RemoteKeyEndpoint(jwks.AbsoluteUri, null, jwks, entry.Issuer, bound, bound, [.. additionalIssuers], validateMetadataIssuer: false, requireHttps);
        }

        metadata ??= new Uri(entry.Authority!.TrimEnd('/') + DiscoverySuffix, UriKind.Absolute);
        // Unvalidated, the metadata's issuer is whatever it says: nothing is expected, nothing bound before a fetch.
        var stated = entry.ValidateMetadataIssuer ? StatedIssuers(entry) : [];
        var named = entry.ValidateMetadataIssuer && entry.Issuer is null && entry.Authority is null ? metadataIssuers : [];
        List<string> expected = [.. stated];
        foreach (var issuer in named)
        {
            if (!string.IsNullOrEmpty(issuer) && !expected.Contains(issuer))
            {
                expected.Add(issuer);
            }
        }

        if (expected.Count == 0 && entry.ValidateMetadataIssuer)
        {
            // The scheme's own MetadataAddress is configured as JwtBearer's is: with ValidIssuer naming the issuer.
            fail(
                prefix.Length == 0 ? nameof(BearerJwtOptions.ValidIssuer) : prefix + nameof(RemoteKeyAuthority.Issuer),
                $"is required with MetadataAddress '{entry.MetadataAddress}', which does not end with {DiscoverySuffix}: it is the issuer the metadata must name"
                + (prefix.Length == 0 ? " (or set Authority)." : " (or set the scheme's ValidIssuer(s), or Authority)."));
            return null;
        }

        return new RemoteKeyEndpoint(
            metadata.AbsoluteUri,
            metadata,
            null,
            entry.ValidateMetadataIssuer ? entry.Issuer ?? entry.Authority : null,
            [.. expected],
            expected.Count == stated.Count + 1 ? [.. expected] : [.. stated],
            [.. additionalIssuers],
            entry.ValidateMetadataIssuer,
            requireHttps);
    }

    /// <summary>
    /// The issuers the entry itself states for its metadata: its <c>Issuer</c> exactly when set; otherwise
    /// <c>Authority</c> (or the <c>MetadataAddress</c> without the well-known suffix) with or without one trailing slash.
    /// </summary>
    internal static List<string> StatedIssuers(RemoteKeyAuthority entry)
    {
        if (entry.Issuer is not null)
        {
            return [entry.Issuer];
        }

        var stated = entry.Authority;
        if (stated is null && entry.MetadataAddress?.EndsWith(DiscoverySuffix, StringComparison.Ordinal) == true)
        {
            // The text the suffix was appended to, as written (not a normalized URL).
            stated = entry.MetadataAddress[..^DiscoverySuffix.Length];
        }

        return stated is { Length: > 0 } ? [stated, stated[^1] == '/' ? stated[..^1] : stated + "/"] : [];
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

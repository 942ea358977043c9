namespace Bearer.Auth;

/// <summary>
/// The metadata names an issuer this source does not accept: a configuration mistake (or a provider change) that no
/// retry fixes, so it is logged once with both values and reported by the health check. The metadata's value is
/// untrusted text: it appears only as <see cref="LogText.Printable"/> makes it.
/// </summary>
internal sealed class RemoteKeyIssuerMismatchException : RemoteKeyFetchException
{
    private const int MaxExpectedShown = 4;

    internal RemoteKeyIssuerMismatchException(string metadataIssuer, IReadOnlyList<string> expectedIssuers)
        : base(Describe(metadataIssuer, expectedIssuers))
    {
        MetadataIssuer = metadataIssuer;
    }

    /// <summary>The issuer the metadata named, as written: compared with tokens' issuers, never logged as is.</summary>
    internal string MetadataIssuer { get; }

    private static string Describe(string metadataIssuer, IReadOnlyList<string> expectedIssuers)
    {
        var expected = new List<string>();
        for (var i = 0; i < expectedIssuers.Count && i < MaxExpectedShown; i++)
        {
            expected.Add($"'{LogText.Printable(expectedIssuers[i])}'");
        }

        var more = expectedIssuers.Count > MaxExpectedShown ? $" and {expectedIssuers.Count - MaxExpectedShown} more" : string.Empty;
        return $"The metadata names the issuer '{LogText.Printable(metadataIssuer)}', which is not one this source accepts: "
            + $"{string.Join(", ", expected)}{more}. Set Authority to the issuer the provider states, or list it in ValidIssuers (with MetadataAddress).";
    }
}

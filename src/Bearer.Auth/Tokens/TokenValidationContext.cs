using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// The facts of the request a token arrived with that validation rules may need beyond the token itself: where the
/// token came from, the HTTP method and URL, and the <c>DPoP</c> proof header (RFC 9449) when present. The handler
/// fills it for every request; a caller outside HTTP may leave it <see langword="default"/>.
/// </summary>
/// <remarks>
/// Nothing is copied or allocated to build it: the URL is composed from the request's parts only when it is read.
/// </remarks>
public readonly struct TokenValidationContext
{
    private readonly string? _url;
    private readonly string? _scheme;
    private readonly HostString _host;
    private readonly PathString _pathBase;
    private readonly PathString _path;

    /// <summary>Creates the context of <paramref name="request"/>, whose token came from <paramref name="source"/>.</summary>
    internal TokenValidationContext(HttpRequest request, TokenSource source)
    {
        Source = source;
        Method = request.Method;
        _scheme = request.Scheme;
        _host = request.Host;
        _pathBase = request.PathBase;
        _path = request.Path;
        var proofs = request.Headers["DPoP"];
        DPoPProof = proofs.Count == 0 ? null : proofs.ToString();
    }

    /// <summary>Gets where the token came from.</summary>
    public TokenSource Source { get; init; }

    /// <summary>Gets the HTTP method, e.g. <c>GET</c>, or <see langword="null"/> outside a request.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// Gets the request's URL without query or fragment (<c>scheme://host/path</c>, the DPoP <c>htu</c> of RFC 9449
    /// §4.2), or <see langword="null"/> outside a request.
    /// </summary>
    public string? Url
    {
        get => _url ?? (_scheme is null ? null : string.Concat(_scheme, "://", _host.ToUriComponent(), _pathBase.ToUriComponent(), _path.ToUriComponent()));
        init => _url = value;
    }

    /// <summary>
    /// Gets the <c>DPoP</c> request header (RFC 9449 §4.1), or <see langword="null"/> when absent. Several such headers
    /// arrive joined by commas, which no proof parses as.
    /// </summary>
    public string? DPoPProof { get; init; }
}

using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// The facts of the request a token arrived with that validation rules may need beyond the token itself: where the
/// token came from, the HTTP method and URL, and the <c>DPoP</c> proof header (RFC 9449) when present. The handler
/// passes one with every token; a caller outside HTTP may leave it <see langword="default"/> or set what it knows.
/// </summary>
/// <remarks>
/// The handler's context reads the request only when a property is read, so a request whose rules need none of
/// these facts pays nothing for them (reading them all up front cost 90 ns a request, bench <c>parts</c>). Like the
/// <see cref="HttpContext"/> it reads from, it is valid only while the request is in progress: read what you need
/// during the request, and copy it (as a new context with these properties set) to keep it longer.
/// </remarks>
public readonly struct TokenValidationContext
{
    private readonly HttpRequest? _request;
    private readonly string? _method;
    private readonly string? _url;
    private readonly string? _dPoPProof;

    /// <summary>Creates the context of <paramref name="request"/>, whose token came from <paramref name="source"/>.</summary>
    internal TokenValidationContext(HttpRequest request, TokenSource source)
    {
        _request = request;
        Source = source;
    }

    /// <summary>Gets where the token came from.</summary>
    public TokenSource Source { get; init; }

    /// <summary>Gets the HTTP method, e.g. <c>GET</c>, or <see langword="null"/> outside a request.</summary>
    public string? Method
    {
        get => _method ?? _request?.Method;
        init => _method = value;
    }

    /// <summary>
    /// Gets the request's URL without query or fragment (<c>scheme://host/path</c>, the DPoP <c>htu</c> of RFC 9449
    /// §4.2), or <see langword="null"/> outside a request.
    /// </summary>
    public string? Url
    {
        get => _url ?? (_request is { } request
            ? string.Concat(request.Scheme, "://", request.Host.ToUriComponent(), request.PathBase.ToUriComponent(), request.Path.ToUriComponent())
            : null);
        init => _url = value;
    }

    /// <summary>
    /// Gets the <c>DPoP</c> request header (RFC 9449 §4.1), or <see langword="null"/> when absent. Several such headers
    /// arrive joined by commas, which no proof parses as.
    /// </summary>
    public string? DPoPProof
    {
        get => _dPoPProof ?? (_request?.Headers["DPoP"] is { Count: > 0 } proofs ? proofs.ToString() : null);
        init => _dPoPProof = value;
    }
}

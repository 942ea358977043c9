using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth;

/// <summary>
/// Fetches one source's key set over HTTP: the discovery document (when configured) and then the JWKS. Enforces the
/// response size cap while reading, refuses non-200 answers, checks the metadata issuer, and binds every key to the
/// source's issuer. Failures throw <see cref="RemoteKeyFetchException"/> with fixed wording (never response content).
/// </summary>
/// <remarks>
/// Redirects are followed here, not by the client's handler, and only within the origin (scheme, host and port) of the
/// URL asked for: a provider answering for its keys from another host, another port or over plain HTTP is someone else
/// answering, and an open redirect on the provider's host must not hand that choice to an attacker.
/// </remarks>
internal sealed class RemoteKeySetFetcher
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Same-origin redirects followed per request before the fetch fails (a loop ends here).</summary>
    internal const int MaximumRedirects = 5;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly string _httpClientName;
    private readonly int _maximumResponseSize;
    private readonly bool _allowSymmetricKeys;
    private readonly ILogger _logger;

    internal RemoteKeySetFetcher(IHttpClientFactory httpClientFactory, RemoteKeySetOptions settings, ILogger logger)
    {
        _httpClientFactory = httpClientFactory;
        _httpClientName = settings.HttpClientName;
        _maximumResponseSize = settings.MaximumResponseSize;
        _allowSymmetricKeys = settings.AllowSymmetricKeys;
        _logger = logger;
    }

    /// <summary>
    /// A fetched set: usable keys bound to <see cref="Issuer"/> (and to each additional issuer), how many JWKs they
    /// came from, the skipped keys' problems, and the response's max-age.
    /// </summary>
    internal sealed record FetchedKeySet(IReadOnlyList<VerificationKey> Keys, int JwkCount, IReadOnlyList<string> Problems, string? Issuer, TimeSpan? MaxAge);

    internal async Task<FetchedKeySet> FetchAsync(RemoteKeyEndpoint endpoint, CancellationToken cancellationToken)
    {
        var client = _httpClientFactory.CreateClient(_httpClientName);
        Uri jwksUri;
        string? issuer;
        if (endpoint.MetadataAddress is { } metadataAddress)
        {
            var (metadata, _) = await GetAsync(client, endpoint, metadataAddress, "metadata", cancellationToken).ConfigureAwait(false);
            (issuer, jwksUri) = ReadMetadata(metadata, endpoint);
        }
        else
        {
            jwksUri = endpoint.JwksUri!;
            issuer = endpoint.Issuer;
        }

        var (jwks, maxAge) = await GetAsync(client, endpoint, jwksUri, "key set", cancellationToken).ConfigureAwait(false);
        var result = JsonWebKeySetReader.Read(jwks, issuer, _allowSymmetricKeys, "RemoteKeys:AllowSymmetricKeys");
        // A well-formed empty set is the provider's word that no key signs any more (it revoked them): it replaces the
        // cached set. Only a failed or malformed answer, or one whose keys are all unusable, keeps the last good set.
        if (result.Keys.Count == 0 && !result.IsEmptySet)
        {
            throw new RemoteKeyFetchException(result.Problems.Count > 0 && result.Problems[0] == JsonWebKeySetReader.NotJsonProblem
                ? "The key set is not valid JSON."
                : "The key set has no usable signing key." + (result.Problems.Count > 0 ? " " + result.Problems[0] : string.Empty));
        }

        return new FetchedKeySet(WithAdditionalIssuers(result.Keys, endpoint.AdditionalIssuers), result.UsableJwkCount, result.Problems, issuer, maxAge);
    }

    /// <summary>The keys, and each again bound to every additional issuer (sharing its crypto context).</summary>
    private static IReadOnlyList<VerificationKey> WithAdditionalIssuers(IReadOnlyList<VerificationKey> keys, string[] additionalIssuers)
    {
        if (additionalIssuers.Length == 0)
        {
            return keys;
        }

        var all = new List<VerificationKey>(keys.Count * (additionalIssuers.Length + 1));
        all.AddRange(keys);
        foreach (var additional in additionalIssuers)
        {
            foreach (var key in keys)
            {
                if (!string.Equals(additional, key.Issuer, StringComparison.Ordinal))
                {
                    all.Add(key.Rebind(key.Algorithm, additional));
                }
            }
        }

        return all;
    }

    private static (string Issuer, Uri JwksUri) ReadMetadata(string json, RemoteKeyEndpoint endpoint)
    {
        string? issuer;
        string? jwksUri;
        using (var document = JsonText.TryParseUntrusted(json, DocumentOptions)
            ?? throw new RemoteKeyFetchException("The metadata is not valid JSON (or repeats a member name, or escapes a lone surrogate)."))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RemoteKeyFetchException("The metadata is not a JSON object.");
            }

            issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            jwksUri = root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
        }

        if (string.IsNullOrEmpty(issuer))
        {
            throw new RemoteKeyFetchException("The metadata has no 'issuer'.");
        }

        // OpenID Connect Discovery 1.0 §4.3: the issuer must be the one the metadata was looked up for.
        if (!endpoint.AcceptsMetadataIssuer(issuer))
        {
            throw new RemoteKeyIssuerMismatchException(issuer, endpoint.ExpectedIssuers);
        }

        if (jwksUri is null || !Uri.TryCreate(jwksUri, UriKind.Absolute, out var uri))
        {
            throw new RemoteKeyFetchException("The metadata has no absolute 'jwks_uri'.");
        }

        if (RemoteKeyEndpoint.ProblemWith(uri, endpoint.RequireHttps) is { } problem)
        {
            throw new RemoteKeyFetchException("The metadata's 'jwks_uri' " + problem);
        }

        return (issuer, uri);
    }

    private async Task<(string Text, TimeSpan? MaxAge)> GetAsync(HttpClient client, RemoteKeyEndpoint endpoint, Uri uri, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(client, endpoint, uri, what, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new RemoteKeyFetchException($"The {what} request answered {(int)response.StatusCode}, not 200.");
        }

        if (response.Content.Headers.ContentLength > _maximumResponseSize)
        {
            throw new RemoteKeyFetchException($"The {what} response is larger than {_maximumResponseSize} bytes.");
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var text = await ReadCappedAsync(stream, what, cancellationToken).ConfigureAwait(false);
            return (text, response.Headers.CacheControl?.MaxAge);
        }
    }

    /// <summary>
    /// Sends a GET for <paramref name="uri"/>, following at most <see cref="MaximumRedirects"/> redirects that stay
    /// within its origin; a redirect elsewhere fails the fetch before anything is sent there.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient client, RemoteKeyEndpoint endpoint, Uri uri, string what, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var redirects = 0; ; redirects++)
        {
            HttpResponseMessage response;
            using (var request = new HttpRequestMessage(HttpMethod.Get, current))
            {
                request.Headers.Accept.ParseAdd("application/json");
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }

            // A client configured by the application may follow redirects itself: its answer from elsewhere is refused.
            if (response.RequestMessage?.RequestUri is { } answered && !SameOrigin(answered, uri))
            {
                response.Dispose();
                throw RedirectRefused(endpoint, what, current, answered);
            }

            if (!IsRedirect(response.StatusCode))
            {
                return response;
            }

            var location = response.Headers.Location;
            var status = (int)response.StatusCode;
            response.Dispose();
            if (location is null)
            {
                throw new RemoteKeyFetchException($"The {what} request answered {status} without a Location.");
            }

            var target = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (!SameOrigin(target, uri))
            {
                throw RedirectRefused(endpoint, what, current, target);
            }

            if (redirects == MaximumRedirects)
            {
                throw new RemoteKeyFetchException($"The {what} request was redirected more than {MaximumRedirects} times.");
            }

            current = target;
        }
    }

    private RemoteKeyFetchException RedirectRefused(RemoteKeyEndpoint endpoint, string what, Uri from, Uri target)
    {
        var printableTarget = LogText.Printable(target.GetLeftPart(UriPartial.Path));
        RemoteKeyLog.RedirectRefused(_logger, endpoint.Label, what, LogText.Printable(from.GetLeftPart(UriPartial.Path)), printableTarget);
        return new RemoteKeyFetchException($"The {what} request was redirected to another origin ({printableTarget}); only redirects within the same scheme, host and port are followed.");
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>RFC 6454 origin: scheme, host and port (so https never goes to http, nor to another port).</summary>
    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Reads at most the cap (one byte more to detect an overflow), whatever the headers claimed.</summary>
    private async Task<string> ReadCappedAsync(Stream stream, string what, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(_maximumResponseSize + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, _maximumResponseSize + 1L));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, _maximumResponseSize + 1) - length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > _maximumResponseSize)
                {
                    throw new RemoteKeyFetchException($"The {what} response is larger than {_maximumResponseSize} bytes.");
                }
            }

            try
            {
                return StrictUtf8.GetString(buffer, 0, length);
            }
            catch (DecoderFallbackException)
            {
                throw new RemoteKeyFetchException($"The {what} response is not valid UTF-8.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A fetch failed for a reason worth reporting (fixed wording; response content only sanitized and capped).</summary>
internal class RemoteKeyFetchException : Exception
{
    public RemoteKeyFetchException()
    {
    }

    public RemoteKeyFetchException(string message)
        : base(message)
    {
    }

    public RemoteKeyFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

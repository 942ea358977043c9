using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Fetches one source's key set over HTTP: the discovery document (when configured) and then the JWKS. Enforces the
/// response size cap while reading, refuses non-200 answers, checks the metadata issuer, and binds every key to the
/// source's issuer. Failures throw <see cref="RemoteKeyFetchException"/> with fixed wording (never response content).
/// </summary>
internal sealed class RemoteKeySetFetcher
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 16 };
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly string _httpClientName;
    private readonly int _maximumResponseSize;
    private readonly bool _allowSymmetricKeys;

    internal RemoteKeySetFetcher(IHttpClientFactory httpClientFactory, RemoteKeySetOptions settings)
    {
        _httpClientFactory = httpClientFactory;
        _httpClientName = settings.HttpClientName;
        _maximumResponseSize = settings.MaximumResponseSize;
        _allowSymmetricKeys = settings.AllowSymmetricKeys;
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
            var (metadata, _) = await GetAsync(client, metadataAddress, "metadata", cancellationToken).ConfigureAwait(false);
            (issuer, jwksUri) = ReadMetadata(metadata, endpoint);
        }
        else
        {
            jwksUri = endpoint.JwksUri!;
            issuer = endpoint.Issuer;
        }

        var (jwks, maxAge) = await GetAsync(client, jwksUri, "key set", cancellationToken).ConfigureAwait(false);
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
        try
        {
            using var document = JsonDocument.Parse(json, DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RemoteKeyFetchException("The metadata is not a JSON object.");
            }

            issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            jwksUri = root.TryGetProperty("jwks_uri", out var j) && j.ValueKind == JsonValueKind.String ? j.GetString() : null;
        }
        catch (JsonException)
        {
            throw new RemoteKeyFetchException("The metadata is not valid JSON (or repeats a member name).");
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

    private async Task<(string Text, TimeSpan? MaxAge)> GetAsync(HttpClient client, Uri uri, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

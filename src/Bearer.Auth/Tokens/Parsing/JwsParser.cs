using System.Buffers;

namespace Bearer.Auth;

/// <summary>
/// Parse, the first stage: the compact text (RFC 7515 §7.1) into its header, then its registered claims, in the order
/// an attacker meets the checks: size (before any scan), characters, segments, canonical base64url, UTF-8 JSON
/// objects. No key is touched and no policy applied; what it refuses is not a JWS at all, or not one this library
/// processes. The two halves are separate calls so the header's rules run before the payload is read.
/// </summary>
internal sealed class JwsParser
{
    private const int StackLimit = 1024;

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly int _maxTokenSize;
    private readonly KnownClaimValues _known;
    private readonly JwsHeaderMemo? _headers;

    /// <param name="maxTokenSize">The largest token read, in characters.</param>
    /// <param name="known">The configured issuers and audiences, noted while reading the claims.</param>
    /// <param name="headers">Headers of tokens verified before, reused instead of parsed again; none to parse every header.</param>
    internal JwsParser(int maxTokenSize, KnownClaimValues known, JwsHeaderMemo? headers)
    {
        _maxTokenSize = maxTokenSize;
        _known = known;
        _headers = headers;
    }

    /// <summary>
    /// The first half: size, characters, segments, canonical base64url of the signature, and the header (from the
    /// memo when its text was seen on a valid token). The header's rules can run on the result before the payload is
    /// read, so a token refused for its header costs no payload decode.
    /// </summary>
    internal TokenFailureReason ParseHeader(string token, out ParsedToken parsed)
    {
        parsed = default;
        if (token.Length > _maxTokenSize)
        {
            return TokenFailureReason.TokenTooLarge;
        }

        var span = token.AsSpan();
        if (span.IsEmpty)
        {
            return TokenFailureReason.TokenMalformed;
        }

        if (span[0] == '{')
        {
            return TokenFailureReason.TokenJsonSerialization;
        }

        // After this one scan each segment (the text between dots) holds base64url characters only.
        if (span.ContainsAnyExcept(TokenCharacters))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var firstDot = span.IndexOf('.');
        var dotAfterFirst = firstDot < 0 ? -1 : span[(firstDot + 1)..].IndexOf('.');
        if (dotAfterFirst < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        var secondDot = firstDot + 1 + dotAfterFirst;
        parsed.FirstDot = firstDot;
        parsed.SecondDot = secondDot;
        var signatureSegment = span[(secondDot + 1)..];
        if (signatureSegment.Contains('.'))
        {
            // Four dots in all is the compact JWE form, which gets its own reason.
            return signatureSegment.Count('.') == 2 ? TokenFailureReason.TokenEncrypted : TokenFailureReason.TokenMalformed;
        }

        var headerSegment = span[..firstDot];
        if (headerSegment.IsEmpty || secondDot == firstDot + 1 || !StrictBase64Url.IsCanonicalScanned(signatureSegment))
        {
            return TokenFailureReason.TokenMalformed;
        }

        if (_headers is not null && _headers.TryGet(headerSegment, out parsed.Header))
        {
            parsed.HeaderFromMemo = true;
            return TokenFailureReason.None;
        }

        var headerLength = StrictBase64Url.DecodedLength(headerSegment.Length);
        if (headerLength < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        byte[]? rented = null;
        var buffer = headerLength <= StackLimit ? stackalloc byte[headerLength] : (rented = ArrayPool<byte>.Shared.Rent(headerLength));
        try
        {
            return StrictBase64Url.TryDecodeScanned(headerSegment, buffer, out var written)
                ? JwsHeaderReader.Read(buffer[..written], out parsed.Header)
                : TokenFailureReason.TokenMalformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The second half: the payload of a token whose header <see cref="ParseHeader"/> read, into its claims.</summary>
    internal TokenFailureReason ParseClaims(string token, ref ParsedToken parsed)
    {
        var payloadSegment = token.AsSpan(parsed.FirstDot + 1, parsed.SecondDot - parsed.FirstDot - 1);
        var payloadLength = StrictBase64Url.DecodedLength(payloadSegment.Length);
        if (payloadLength < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        byte[]? rented = null;

        // Sized to the segment: a fixed 1 KB buffer would cost more to set up than the decode.
        var buffer = payloadLength <= StackLimit ? stackalloc byte[payloadLength] : (rented = ArrayPool<byte>.Shared.Rent(payloadLength));
        try
        {
            return StrictBase64Url.TryDecodeScanned(payloadSegment, buffer, out var written)
                ? JwtClaimsReader.Read(buffer[..written], _known, out parsed.Claims)
                : TokenFailureReason.TokenMalformed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>For test vectors whose payload is not a claims set: the payload need only be canonical base64url.</summary>
    internal static TokenFailureReason CheckPayloadIsBase64Url(string token, in ParsedToken parsed) =>
        StrictBase64Url.IsCanonicalScanned(token.AsSpan(parsed.FirstDot + 1, parsed.SecondDot - parsed.FirstDot - 1))
            ? TokenFailureReason.None
            : TokenFailureReason.TokenMalformed;
}

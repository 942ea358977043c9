using System.Buffers;

namespace Bearer.Auth;

/// <summary>
/// Parse, the first stage: the compact text (RFC 7515 §7.1) into its header and registered claims, in the order an
/// attacker meets the checks: size (before any scan), characters, segments, canonical base64url, UTF-8 JSON objects.
/// No key is touched and no policy applied; what it refuses is not a JWS at all, or not one this library processes.
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
    /// Parses <paramref name="token"/>. With <paramref name="readClaims"/> off (test vectors whose payload is not a
    /// claims set) the payload is only checked to be canonical base64url.
    /// </summary>
    internal TokenFailureReason Parse(string token, bool readClaims, out ParsedToken parsed)
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
        var payloadSegment = span[(firstDot + 1)..secondDot];
        if (headerSegment.IsEmpty || payloadSegment.IsEmpty || !StrictBase64Url.IsCanonicalScanned(signatureSegment))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var headerLength = StrictBase64Url.DecodedLength(headerSegment.Length);
        if (headerLength < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        parsed.HeaderFromMemo = _headers is not null && _headers.TryGet(headerSegment, out parsed.Header);
        if (parsed.HeaderFromMemo)
        {
            headerLength = 0;
        }

        // A payload of impossible length is reported after the header, as the header is read first.
        var payloadLength = readClaims ? Math.Max(StrictBase64Url.DecodedLength(payloadSegment.Length), 0) : 0;
        var length = headerLength + payloadLength;
        byte[]? rented = null;

        // One buffer for both, sized to the segments: a fixed 1 KB one would cost more to set up than the decode.
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            if (!parsed.HeaderFromMemo)
            {
                var headerBytes = buffer[..headerLength];
                if (!StrictBase64Url.TryDecodeScanned(headerSegment, headerBytes, out var headerWritten))
                {
                    return TokenFailureReason.TokenMalformed;
                }

                var headerFailure = JwsHeaderReader.Read(headerBytes[..headerWritten], out parsed.Header);
                if (headerFailure != TokenFailureReason.None)
                {
                    return headerFailure;
                }
            }

            if (!readClaims)
            {
                return StrictBase64Url.IsCanonicalScanned(payloadSegment) ? TokenFailureReason.None : TokenFailureReason.TokenMalformed;
            }

            var payloadBytes = buffer.Slice(headerLength, payloadLength);
            return StrictBase64Url.TryDecodeScanned(payloadSegment, payloadBytes, out var written)
                ? JwtClaimsReader.Read(payloadBytes[..written], _known, out parsed.Claims)
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
}

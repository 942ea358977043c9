using System.Buffers.Text;
using System.Text;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Byte-level token surgery: tokens from raw header/payload bytes, and signature swaps on existing tokens, for
/// attacks <see cref="TestJwt"/> cannot express (invalid UTF-8, BOMs, forged or mangled signatures).
/// </summary>
internal static class RawJwt
{
    /// <summary>The <c>header.payload</c> part of a compact token.</summary>
    internal static string SigningInput(string token) => token[..token.LastIndexOf('.')];

    /// <summary>The decoded signature of a compact token.</summary>
    internal static byte[] Signature(string token) => Base64Url.DecodeFromChars(token.AsSpan(token.LastIndexOf('.') + 1));

    /// <summary>The token with its signature replaced by <paramref name="signature"/>.</summary>
    internal static string WithSignature(string token, byte[] signature) => SigningInput(token) + "." + TestJwt.B64(signature);

    /// <summary>A token from literal JSON texts and any signature bytes (nothing is computed).</summary>
    internal static string Unsigned(string headerJson, string payloadJson, byte[] signature) =>
        TestJwt.B64(headerJson) + "." + TestJwt.B64(payloadJson) + "." + TestJwt.B64(signature);

    /// <summary>An HMAC-signed token from raw header and payload bytes.</summary>
    internal static string Hs(byte[] key, byte[] header, byte[] payload, string alg = "HS256")
    {
        var signingInput = TestJwt.B64(header) + "." + TestJwt.B64(payload);
        return signingInput + "." + TestJwt.B64(TestJwt.Hmac(alg, key, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>An HMAC-signed token over already-encoded segments (which may be non-canonical).</summary>
    internal static string HsOverSegments(byte[] key, string headerSegment, string payloadSegment, string alg = "HS256")
    {
        var signingInput = headerSegment + "." + payloadSegment;
        return signingInput + "." + TestJwt.B64(TestJwt.Hmac(alg, key, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>
    /// <paramref name="payloadJson"/> with the raw JSON value of its top-level member <paramref name="claim"/> replaced
    /// (the existing value must contain no comma or brace, as in <see cref="TestJwt.Payload"/>).
    /// </summary>
    internal static string WithClaim(string payloadJson, string claim, string rawValue)
    {
        var start = payloadJson.IndexOf($"\"{claim}\":", StringComparison.Ordinal) + claim.Length + 3;
        var end = payloadJson.IndexOfAny([',', '}'], start);
        return payloadJson[..start] + rawValue + payloadJson[end..];
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    internal static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}

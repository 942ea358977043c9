using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Mints tokens by hand from literal header and payload JSON, so tests can produce exactly the bytes an attacker
/// would (duplicate members, odd whitespace, wrong types) and sign them with keys generated in the test.
/// </summary>
internal static class TestJwt
{
    internal const string Issuer = "https://issuer.test";
    internal const string Audience = "api://test";

    internal static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    internal static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>A typical valid payload around <paramref name="now"/>, with optional extra members (JSON text, no braces).</summary>
    internal static string Payload(DateTimeOffset now, string? extra = null, string issuer = Issuer, string audience = Audience)
    {
        var seconds = now.ToUnixTimeSeconds();
        var json = $$"""{"iss":"{{issuer}}","aud":"{{audience}}","sub":"user-1","exp":{{seconds + 300}},"iat":{{seconds}},"nbf":{{seconds}}""";
        return extra is null ? json + "}" : json + "," + extra + "}";
    }

    internal static string Sign(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var signingInput = B64(headerJson) + "." + B64(payloadJson);
        return signingInput + "." + B64(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    internal static string Hs(byte[] key, string payloadJson, string alg = "HS256", string? headerJson = null) =>
        Sign(headerJson ?? $$"""{"alg":"{{alg}}","typ":"JWT"}""", payloadJson, input => Hmac(alg, key, input));

    internal static byte[] Hmac(string alg, byte[] key, byte[] input) => alg switch
    {
        "HS384" => HMACSHA384.HashData(key, input),
        "HS512" => HMACSHA512.HashData(key, input),
        _ => HMACSHA256.HashData(key, input),
    };

    internal static string Rs(RSA rsa, string payloadJson, string alg = "RS256", string? headerJson = null) =>
        Sign(headerJson ?? $$"""{"alg":"{{alg}}","typ":"JWT"}""", payloadJson, input => rsa.SignData(
            input,
            HashOf(alg),
            alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1));

    internal static string Es(ECDsa ecdsa, string payloadJson, string alg = "ES256", string? headerJson = null) =>
        Sign(headerJson ?? $$"""{"alg":"{{alg}}","typ":"JWT"}""", payloadJson, input => ecdsa.SignData(input, HashOf(alg)));

    internal static HashAlgorithmName HashOf(string alg) => alg[2..] switch
    {
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}

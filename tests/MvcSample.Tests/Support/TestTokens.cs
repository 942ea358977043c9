using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MvcSample.Tests.Support;

/// <summary>Mints tokens from literal JSON, the way other issuers would, with keys the test generates.</summary>
internal static class TestTokens
{
    /// <summary>
    /// A token shaped exactly like one from <c>dotnet user-jwts create --role … --scope …</c> (as observed with the
    /// .NET 10 SDK): header <c>{"alg":"HS256","typ":"JWT"}</c> with no <c>kid</c>; <c>unique_name</c>, <c>sub</c>, a short
    /// hex <c>jti</c>, <c>scope</c> and <c>role</c> as strings; <c>aud</c> a string for one launch URL and an array for
    /// several; <c>nbf</c> a few seconds before <c>iat</c>; <c>iss</c> <c>dotnet-user-jwts</c>.
    /// </summary>
    internal static string UserJwts(byte[] key, string userName, string[] audiences, string role)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var aud = audiences.Length == 1 ? $"\"{audiences[0]}\"" : "[" + string.Join(",", audiences.Select(a => $"\"{a}\"")) + "]";
        var payload = $$"""{"unique_name":"{{userName}}","sub":"{{userName}}","jti":"6f1c2a9b","scope":"api.read","role":"{{role}}","aud":{{aud}},"nbf":{{now - 6}},"exp":{{now + 3600}},"iat":{{now}},"iss":"dotnet-user-jwts"}""";
        return Sign("""{"alg":"HS256","typ":"JWT"}""", payload, input => HMACSHA256.HashData(key, input));
    }

    /// <summary>An RS256 access token from an external issuer.</summary>
    internal static string Rs256(RSA rsa, string keyId, string issuer, string audience, string subject)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = $$"""{"alg":"RS256","typ":"JWT","kid":"{{keyId}}"}""";
        var payload = $$"""{"iss":"{{issuer}}","aud":"{{audience}}","sub":"{{subject}}","roles":["user"],"iat":{{now}},"nbf":{{now}},"exp":{{now + 300}}}""";
        return Sign(header, payload, input => rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    /// <summary>The public JWKS (JSON text) of <paramref name="rsa"/>.</summary>
    internal static string RsaJwks(RSA rsa, string keyId)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64Url.EncodeToString(parameters.Modulus);
        var e = Base64Url.EncodeToString(parameters.Exponent);
        return $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"{{keyId}}","n":"{{n}}","e":"{{e}}"}]}""";
    }

    private static string Sign(string headerJson, string payloadJson, Func<byte[], byte[]> sign)
    {
        var signingInput = Encode(headerJson) + "." + Encode(payloadJson);
        return signingInput + "." + Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}

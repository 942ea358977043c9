using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Bearer.Auth;

namespace MvcSample.Services;

/// <summary>
/// The sample's ECDSA P-256 (ES256) signing key, generated at start-up and never stored: restarting the sample
/// invalidates every token it issued. Its <c>kid</c> is the RFC 7638 JWK thumbprint of the public key.
/// </summary>
public sealed class DevelopmentSigningKey : IDisposable
{
    public const string Algorithm = "ES256";

    public DevelopmentSigningKey()
    {
        PrivateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicParameters = PrivateKey.ExportParameters(includePrivateParameters: false);
        X = Base64Url.EncodeToString(publicParameters.Q.X);
        Y = Base64Url.EncodeToString(publicParameters.Q.Y);
        KeyId = Thumbprint(X, Y);
    }

    /// <summary>The key pair; only <see cref="DevelopmentTokenIssuer"/> signs with it.</summary>
    internal ECDsa PrivateKey { get; }

    public string KeyId { get; }

    /// <summary>The public point's x coordinate, base64url.</summary>
    public string X { get; }

    /// <summary>The public point's y coordinate, base64url.</summary>
    public string Y { get; }

    /// <summary>The public key for the validator, bound to the sample's issuer so it vouches for no other.</summary>
    internal VerificationKey ToVerificationKey(string issuer) =>
        VerificationKey.Ecdsa(PrivateKey, Algorithm, keyId: KeyId, issuer: issuer);

    public void Dispose() => PrivateKey.Dispose();

    // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
    private static string Thumbprint(string x, string y)
    {
        var canonical = $$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

using System.Text.Json;
using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An ECDSA public key bound to the one algorithm its curve allows (ES256/P-256, ES384/P-384, ES512/P-521).</summary>
internal sealed class EcdsaVerificationKey : VerificationKey
{
    private readonly ECDsa _ecdsa;
    private readonly ECPoint _publicPoint;
    private readonly HashAlgorithmName _hash;
    private readonly int _signatureSize;

    private EcdsaVerificationKey(ECDsa ecdsa, ECPoint publicPoint, string algorithm, int fieldSize, string? keyId, string? issuer)
        : base(algorithm, keyId, issuer)
    {
        _ecdsa = ecdsa;
        _publicPoint = publicPoint;
        _hash = JwsAlgorithms.HashOf(algorithm);
        _signatureSize = 2 * fieldSize;
    }

    public override string KeyType => "EC";

    /// <summary>Maps a curve to its JWS algorithm and field size in bytes, or returns false.</summary>
    internal static bool TryGetCurveAlgorithm(ECCurve curve, out string algorithm, out int fieldSize)
    {
        var oid = curve.Oid?.Value;
        (algorithm, fieldSize) = oid switch
        {
            "1.2.840.10045.3.1.7" => (JwsAlgorithms.ES256, 32),
            "1.3.132.0.34" => (JwsAlgorithms.ES384, 48),
            "1.3.132.0.35" => (JwsAlgorithms.ES512, 66),
            _ => (string.Empty, 0),
        };
        return fieldSize != 0;
    }

    /// <summary>The named curve of an ES* algorithm.</summary>
    internal static ECCurve CurveOf(string algorithm) => algorithm switch
    {
        JwsAlgorithms.ES256 => ECCurve.NamedCurves.nistP256,
        JwsAlgorithms.ES384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    /// <summary>Checks and imports the public key; a refused curve or point names <paramref name="keyParameter"/>, the caller's parameter.</summary>
    internal static EcdsaVerificationKey Create(ECParameters parameters, string? algorithm, string? keyId, string? issuer, string keyParameter)
    {
        if (!parameters.Curve.IsNamed || !TryGetCurveAlgorithm(parameters.Curve, out var curveAlgorithm, out var fieldSize))
        {
            throw KeyRefusal.Create("Only the named curves P-256, P-384 and P-521 are supported.", keyParameter);
        }

        if (algorithm is not null && !string.Equals(algorithm, curveAlgorithm, StringComparison.Ordinal))
        {
            throw KeyRefusal.Create($"A key on this curve verifies {curveAlgorithm} only, not '{algorithm}'.", nameof(algorithm));
        }

        var publicOnly = new ECParameters { Curve = parameters.Curve, Q = parameters.Q };
        if (publicOnly.Q.X is null || publicOnly.Q.Y is null || publicOnly.Q.X.Length != fieldSize || publicOnly.Q.Y.Length != fieldSize)
        {
            throw KeyRefusal.Create($"The EC point coordinates must be {fieldSize} bytes each.", keyParameter);
        }

        var ecdsa = ECDsa.Create();
        try
        {
            // The import checks that the point lies on the curve (invalid-curve attacks).
            ecdsa.ImportParameters(publicOnly);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw KeyRefusal.Create("The EC public key is not a valid point on its curve: " + ex.Message, keyParameter, ex);
        }

        return new EcdsaVerificationKey(ecdsa, publicOnly.Q, curveAlgorithm, fieldSize, keyId, issuer);
    }

    // A curve has one algorithm: only the issuer changes.
    private protected override VerificationKey RebindCore(string algorithm, string? issuer) =>
        string.Equals(algorithm, Algorithm, StringComparison.Ordinal)
            ? new EcdsaVerificationKey(_ecdsa, _publicPoint, Algorithm, _signatureSize / 2, KeyId, issuer)
            : throw new ArgumentException($"A key on this curve verifies {Algorithm} only, not '{algorithm}'.", nameof(algorithm));

    internal override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        signature.Length == _signatureSize
        && _ecdsa.VerifyData(signingInput, signature, _hash); // the span overload reads JOSE's IEEE P1363 r||s form

    internal override void WriteRequiredMembers(Utf8JsonWriter writer)
    {
        writer.WriteString("crv", CurveName);
        writer.WriteString("kty", KeyType);
        writer.WriteBase64UrlString("x", _publicPoint.X!);
        writer.WriteBase64UrlString("y", _publicPoint.Y!);
    }

    /// <summary>The JWK <c>crv</c> (RFC 7518 §6.2.1.1) of the curve the algorithm names.</summary>
    private string CurveName => Algorithm switch
    {
        JwsAlgorithms.ES256 => "P-256",
        JwsAlgorithms.ES384 => "P-384",
        _ => "P-521",
    };

    // The curve is implied by the algorithm, which IsSameKeyAs compares.
    internal override bool HasSameMaterial(VerificationKey other) =>
        other is EcdsaVerificationKey ecdsa
        && _publicPoint.X.AsSpan().SequenceEqual(ecdsa._publicPoint.X)
        && _publicPoint.Y.AsSpan().SequenceEqual(ecdsa._publicPoint.Y);
}

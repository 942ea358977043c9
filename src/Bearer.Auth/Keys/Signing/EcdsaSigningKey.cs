using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An ECDSA key pair that signs with the one algorithm its curve allows (ES256/P-256, ES384/P-384, ES512/P-521).</summary>
internal sealed class EcdsaSigningKey : SigningKey
{
    private readonly ECDsa _ecdsa;
    private readonly ECParameters _publicKey;
    private readonly HashAlgorithmName _hash;

    internal EcdsaSigningKey(ECParameters parameters, string algorithm, string? keyId)
        : base(algorithm, keyId)
    {
        _ecdsa = ECDsa.Create();
        _ecdsa.ImportParameters(parameters);
        _publicKey = new ECParameters { Curve = parameters.Curve, Q = parameters.Q };
        _hash = JwsAlgorithms.HashOf(algorithm);
        SignatureSize = 2 * parameters.Q.X!.Length;
    }

    public override string KeyType => "EC";

    public override int SignatureSize { get; }

    public override VerificationKey ToVerificationKey(string? issuer = null) => VerificationKey.Ecdsa(_publicKey, Algorithm, KeyId, issuer);

    // JWS signatures are IEEE P1363 R‖S (RFC 7518 §3.4), never DER.
    private protected override int SignCore(ReadOnlySpan<byte> data, Span<byte> destination) =>
        _ecdsa.TrySignData(data, destination, _hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written) ? written : 0;
}

using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An RSA key pair that signs with one of RS256/384/512 or PS256/384/512.</summary>
internal sealed class RsaSigningKey : SigningKey
{
    private readonly RSA _rsa;
    private readonly RSAParameters _publicKey;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding _padding;

    internal RsaSigningKey(RSAParameters parameters, string algorithm, string? keyId)
        : base(algorithm, keyId)
    {
        _rsa = RSA.Create();
        _rsa.ImportParameters(parameters);
        _publicKey = new RSAParameters { Modulus = parameters.Modulus, Exponent = parameters.Exponent };
        _hash = JwsAlgorithms.HashOf(algorithm);

        // .NET's PSS signs with salt length = hash length, what RFC 7518 §3.5 requires.
        _padding = algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;

        // k octets (RFC 8017 §8.2.1): a 2049-bit modulus signs into 257 bytes, not 256.
        SignatureSize = (_rsa.KeySize + 7) / 8;
    }

    public override string KeyType => "RSA";

    public override int SignatureSize { get; }

    public override VerificationKey ToVerificationKey(string? issuer = null) => VerificationKey.Rsa(_publicKey, Algorithm, KeyId, issuer);

    private protected override int SignCore(ReadOnlySpan<byte> data, Span<byte> destination) =>
        _rsa.TrySignData(data, destination, _hash, _padding, out var written) ? written : 0;
}

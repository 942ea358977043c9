using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An HMAC secret that signs with one of HS256/384/512.</summary>
internal sealed class SymmetricSigningKey : SigningKey
{
    private readonly byte[] _secret;
    private readonly HashAlgorithmName _hash;

    internal SymmetricSigningKey(byte[] secret, string algorithm, string? keyId)
        : base(algorithm, keyId)
    {
        _secret = secret;
        _hash = JwsAlgorithms.HashOf(algorithm);
        SignatureSize = JwsAlgorithms.HashSizeOf(algorithm);
    }

    public override string KeyType => "oct";

    public override int SignatureSize { get; }

    public override VerificationKey ToVerificationKey(string? issuer = null) => VerificationKey.Symmetric(_secret, Algorithm, KeyId, issuer);

    private protected override int SignCore(ReadOnlySpan<byte> data, Span<byte> destination) =>
        CryptographicOperations.HmacData(_hash, _secret, data, destination);
}

namespace Bearer.Auth;

/// <summary>An HMAC secret that signs with one of HS256/384/512.</summary>
internal sealed class SymmetricSigningKey : SigningKey
{
    private readonly byte[] _secret;

    /// <summary>The same secret as a verifying key: its pooled keyed HMAC contexts sign without a key set-up per token.</summary>
    private readonly SymmetricVerificationKey _mac;

    internal SymmetricSigningKey(byte[] secret, string algorithm, string? keyId)
        : base(algorithm, keyId)
    {
        _secret = secret;
        _mac = (SymmetricVerificationKey)VerificationKey.Symmetric(secret, algorithm, keyId);
        SignatureSize = JwsAlgorithms.HashSizeOf(algorithm);
    }

    public override string KeyType => "oct";

    public override int SignatureSize { get; }

    public override VerificationKey ToVerificationKey(string? issuer = null) => VerificationKey.Symmetric(_secret, Algorithm, KeyId, issuer);

    private protected override int SignCore(ReadOnlySpan<byte> data, Span<byte> destination) =>
        _mac.ComputeMac(data, destination);
}

using System.Text.Json;
using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>An RSA public key bound to one of RS256/384/512 or PS256/384/512.</summary>
internal sealed class RsaVerificationKey : VerificationKey
{
    internal const int MinimumKeySizeInBits = 2048;

    private readonly RSA _rsa;
    private readonly RSAParameters _publicKey;
    private readonly HashAlgorithmName _hash;
    private readonly RSASignaturePadding _padding;
    private readonly int _signatureSize;

    private RsaVerificationKey(RSA rsa, RSAParameters parameters, string algorithm, string? keyId, string? issuer)
        : base(algorithm, keyId, issuer)
    {
        _rsa = rsa;
        _publicKey = parameters;
        _hash = JwsAlgorithms.HashOf(algorithm);

        // .NET's PSS verifies with salt length = hash length, exactly what RFC 7518 §3.5 requires.
        _padding = algorithm[0] == 'P' ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        _signatureSize = parameters.Modulus!.Length;
    }

    public override string KeyType => "RSA";

    /// <summary>Checks and imports the public key; a refusal names <paramref name="keyParameter"/>, the caller's parameter.</summary>
    internal static RsaVerificationKey Create(RSAParameters parameters, string algorithm, string? keyId, string? issuer, string keyParameter)
    {
        var modulus = TrimLeadingZeros(parameters.Modulus);
        var exponent = TrimLeadingZeros(parameters.Exponent);
        // Count bits, not bytes: a 256-byte modulus whose top byte is 0x01 is a 2041-bit key.
        var bits = modulus.Length == 0 ? 0 : (modulus.Length * 8) - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24;
        if (bits < MinimumKeySizeInBits)
        {
            throw KeyRefusal.Create($"RSA keys must be at least {MinimumKeySizeInBits} bits; this one has {bits}.", keyParameter);
        }

        // e = 1 makes every signature equal its message; an even exponent is not an RSA key.
        if (exponent.Length == 0 || (exponent.Length == 1 && exponent[0] < 3) || (exponent[^1] & 1) == 0)
        {
            throw KeyRefusal.Create("The RSA public exponent is not usable.", keyParameter);
        }

        var publicOnly = new RSAParameters { Modulus = modulus, Exponent = exponent };
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(publicOnly);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw KeyRefusal.Create("The RSA public key could not be imported: " + ex.Message, keyParameter, ex);
        }

        return new RsaVerificationKey(rsa, publicOnly, algorithm, keyId, issuer);
    }

    private protected override VerificationKey RebindCore(string algorithm, string? issuer) =>
        new RsaVerificationKey(_rsa, _publicKey, algorithm.StartsWith("PS", StringComparison.Ordinal)
            ? RequireAlgorithm(algorithm, "PS", nameof(algorithm))
            : RequireAlgorithm(algorithm, "RS", nameof(algorithm)), KeyId, issuer);

    internal override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature) =>
        signature.Length == _signatureSize && _rsa.VerifyData(signingInput, signature, _hash, _padding);

    internal override void WriteRequiredMembers(Utf8JsonWriter writer)
    {
        writer.WriteBase64UrlString("e", _publicKey.Exponent!);
        writer.WriteString("kty", KeyType);
        writer.WriteBase64UrlString("n", _publicKey.Modulus!);
    }

    internal override bool HasSameMaterial(VerificationKey other) =>
        other is RsaVerificationKey rsa
        && _publicKey.Modulus.AsSpan().SequenceEqual(rsa._publicKey.Modulus)
        && _publicKey.Exponent.AsSpan().SequenceEqual(rsa._publicKey.Exponent);

    private static byte[] TrimLeadingZeros(byte[]? value)
    {
        if (value is null)
        {
            return [];
        }

        var start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value.AsSpan(start).ToArray();
    }
}

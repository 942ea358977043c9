using System.Security.Cryptography;
using Bearer.Auth.Tokens;

namespace Bearer.Auth.Keys;

/// <summary>An HMAC key bound to one of HS256/384/512.</summary>
internal sealed class SymmetricSigningKey : SigningKey
{
    private readonly byte[] _key;
    private readonly int _macSize;

    internal SymmetricSigningKey(byte[] key, string algorithm, string? keyId, string? issuer)
        : base(algorithm, keyId, issuer)
    {
        _key = key;
        _macSize = JwsAlgorithms.HashSizeOf(algorithm);
    }

    public override string KeyType => "oct";

    internal override bool Verify(ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        // JOSE defines no truncated MACs: the full tag, and nothing but it, must match.
        if (signature.Length != _macSize)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[64];
        mac = mac[.._macSize];
        switch (_macSize)
        {
            case 32:
                HMACSHA256.HashData(_key, signingInput, mac);
                break;
            case 48:
                HMACSHA384.HashData(_key, signingInput, mac);
                break;
            default:
                HMACSHA512.HashData(_key, signingInput, mac);
                break;
        }

        return CryptographicOperations.FixedTimeEquals(mac, signature);
    }

    internal override SigningKey WithIssuer(string? issuer) => new SymmetricSigningKey(_key, Algorithm, KeyId, issuer);
}

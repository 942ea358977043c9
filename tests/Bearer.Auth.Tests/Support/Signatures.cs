using System.Numerics;
using System.Security.Cryptography;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Hand-made signature values: big-endian integers of a fixed width, the curve orders, DER re-encoding of P1363
/// signatures, and RSASSA-PSS with any salt length (the BCL only signs with salt length = hash length).
/// </summary>
internal static class Signatures
{
    internal static readonly BigInteger P256Order = Parse("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");

    internal static readonly BigInteger P384Order = Parse("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");

    internal static readonly BigInteger P521Order = Parse(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409");

    internal static BigInteger Parse(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);

    internal static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>The unsigned big-endian bytes of <paramref name="value"/>, left-padded to <paramref name="width"/>.</summary>
    internal static byte[] ToBytes(BigInteger value, int width)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > width)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "The value does not fit.");
        }

        var padded = new byte[width];
        bytes.CopyTo(padded, width - bytes.Length);
        return padded;
    }

    /// <summary>An IEEE P1363 signature R‖S from two integers.</summary>
    internal static byte[] P1363(BigInteger r, BigInteger s, int fieldSize) => [.. ToBytes(r, fieldSize), .. ToBytes(s, fieldSize)];

    /// <summary>The same ECDSA signature with S replaced by n − S (the "high-S" twin, equally valid).</summary>
    internal static byte[] NegateS(byte[] p1363, BigInteger order)
    {
        var half = p1363.Length / 2;
        var s = ToInteger(p1363.AsSpan(half));
        return [.. p1363.AsSpan(0, half), .. ToBytes(order - s, half)];
    }

    /// <summary>The same ECDSA signature as an ASN.1 DER SEQUENCE { r, s } (RFC 3279), which JWS does not allow.</summary>
    internal static byte[] ToDer(byte[] p1363)
    {
        var half = p1363.Length / 2;
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(ToInteger(p1363.AsSpan(0, half)));
            writer.WriteInteger(ToInteger(p1363.AsSpan(half)));
        }

        return writer.Encode();
    }

    /// <summary>RSASSA-PSS (RFC 8017 §8.1.1) with MGF1 over the same hash and the given salt length.</summary>
    internal static byte[] PssSign(RSA rsa, byte[] message, HashAlgorithmName hash, int saltLength)
    {
        var key = rsa.ExportParameters(includePrivateParameters: true);
        var modulus = ToInteger(key.Modulus);
        var modBits = (int)modulus.GetBitLength();
        var emBits = modBits - 1;
        var emLength = (emBits + 7) / 8;
        var hashLength = HashLength(hash);

        var messageHash = CryptographicOperations.HashData(hash, message);
        var salt = RandomNumberGenerator.GetBytes(saltLength);
        var h = CryptographicOperations.HashData(hash, [.. new byte[8], .. messageHash, .. salt]);
        var db = new byte[emLength - hashLength - 1];
        db[emLength - saltLength - hashLength - 2] = 0x01;
        salt.CopyTo(db, db.Length - saltLength);
        var mask = Mgf1(hash, h, db.Length);
        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> ((8 * emLength) - emBits));
        byte[] encoded = [.. db, .. h, 0xBC];
        var signature = BigInteger.ModPow(ToInteger(encoded), ToInteger(key.D), modulus);
        return ToBytes(signature, key.Modulus!.Length);
    }

    private static int HashLength(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA384" => 48,
        "SHA512" => 64,
        _ => 32,
    };

    private static byte[] Mgf1(HashAlgorithmName hash, byte[] seed, int length)
    {
        var output = new List<byte>(length + 64);
        for (uint counter = 0; output.Count < length; counter++)
        {
            byte[] c = [(byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter];
            output.AddRange(CryptographicOperations.HashData(hash, [.. seed, .. c]));
        }

        return [.. output.Take(length)];
    }
}

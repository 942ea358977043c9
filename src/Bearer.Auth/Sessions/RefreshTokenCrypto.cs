using System.Buffers.Text;
using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>
/// The cryptography of refresh tokens: 256 random bits as base64url text, their SHA-256 hash (what stores keep), and
/// the sealing of a successor under a key derived from its predecessor, so that a store can hand the successor back to
/// whoever presents the predecessor again without ever holding a usable token.
/// </summary>
internal static class RefreshTokenCrypto
{
    /// <summary>Bytes of randomness in a token (256 bits).</summary>
    internal const int TokenBytes = 32;

    /// <summary>Characters of a token: 32 bytes in unpadded base64url.</summary>
    internal const int TokenLength = 43;

    /// <summary>Bytes of randomness in a session id (128 bits: an identifier, not a secret).</summary>
    private const int SessionIdBytes = 16;

    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    /// <summary>The length of a sealed successor: nonce, ciphertext, tag.</summary>
    internal const int SealedLength = NonceBytes + TokenBytes + TagBytes;

    private static ReadOnlySpan<byte> SealInfo => "Bearer.Auth refresh-token successor v1"u8;

    internal static string NewSessionId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SessionIdBytes));

    internal static void NewToken(Span<byte> token) => RandomNumberGenerator.Fill(token[..TokenBytes]);

    internal static string Encode(ReadOnlySpan<byte> token) => Base64Url.EncodeToString(token[..TokenBytes]);

    /// <summary>The store's key for a token: SHA-256 of its 32 bytes, base64url.</summary>
    internal static string Hash(ReadOnlySpan<byte> token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(token[..TokenBytes], hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>
    /// Reads a presented token: exactly 43 base64url characters in canonical form (the 2 spare bits zero), so that one
    /// token has one spelling and nothing else reaches the store.
    /// </summary>
    internal static bool TryDecode(string? text, Span<byte> token)
    {
        if (text is null || text.Length != TokenLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        // Base64Url accepts padding and white space (see SECURITY.md), which the loop above has refused already.
        if (Base64Url.DecodeFromChars(text, token, out var read, out var written) != System.Buffers.OperationStatus.Done
            || read != TokenLength || written != TokenBytes)
        {
            return false;
        }

        // The last character carries 6 bits of which the token uses 4: two spellings of one token are refused.
        Span<char> again = stackalloc char[TokenLength];
        return Base64Url.EncodeToChars(token[..TokenBytes], again) == TokenLength && again.SequenceEqual(text);
    }

    /// <summary>Seals <paramref name="successor"/> under a key derived (HKDF-SHA256) from <paramref name="predecessor"/>.</summary>
    internal static byte[] Seal(ReadOnlySpan<byte> predecessor, ReadOnlySpan<byte> successor)
    {
        Span<byte> key = stackalloc byte[32];
        DeriveKey(predecessor, key);
        var sealedBytes = new byte[SealedLength];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, successor[..TokenBytes], sealedBytes.AsSpan(NonceBytes, TokenBytes), sealedBytes.AsSpan(NonceBytes + TokenBytes), SealInfo);
        }

        CryptographicOperations.ZeroMemory(key);
        return sealedBytes;
    }

    /// <summary>Opens a sealed successor with the key derived from <paramref name="predecessor"/>; false when it does not open.</summary>
    internal static bool TryOpen(ReadOnlySpan<byte> predecessor, ReadOnlySpan<byte> sealedBytes, Span<byte> successor)
    {
        if (sealedBytes.Length != SealedLength)
        {
            return false;
        }

        Span<byte> key = stackalloc byte[32];
        DeriveKey(predecessor, key);
        try
        {
            using var aes = new AesGcm(key, TagBytes);
            aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes.Slice(NonceBytes, TokenBytes), sealedBytes[(NonceBytes + TokenBytes)..], successor[..TokenBytes], SealInfo);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static void DeriveKey(ReadOnlySpan<byte> predecessor, Span<byte> key) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, predecessor[..TokenBytes], key, salt: default, SealInfo);
}

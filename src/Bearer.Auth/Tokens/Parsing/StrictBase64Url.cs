using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;

namespace Bearer.Auth;

/// <summary>
/// Canonical base64url (RFC 7515 §2): only <c>[A-Za-z0-9_-]</c>, no padding, no whitespace, and zero trailing bits.
/// <see cref="Base64Url"/> alone accepts padding and whitespace, so the characters are checked here first.
/// </summary>
internal static class StrictBase64Url
{
    internal static readonly SearchValues<char> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The decoded length of a canonical segment, or -1 when the length cannot be canonical.</summary>
    internal static int DecodedLength(int encodedLength) => (encodedLength % 4) switch
    {
        1 => -1,
        0 => encodedLength / 4 * 3,
        var rest => (encodedLength / 4 * 3) + rest - 1,
    };

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="destination"/> when it is canonical.</summary>
    internal static bool TryDecode(ReadOnlySpan<char> encoded, Span<byte> destination, out int written)
    {
        written = 0;
        var length = DecodedLength(encoded.Length);
        if (length < 0 || destination.Length < length || !IsCanonical(encoded))
        {
            return false;
        }

        return Base64Url.TryDecodeFromChars(encoded, destination, out written) && written == length;
    }

    /// <summary>
    /// <see cref="TryDecode"/> for a segment of a token whose characters the caller has already checked against
    /// <see cref="Alphabet"/> (the validator scans the whole token once): only the length and trailing bits are checked.
    /// </summary>
    internal static bool TryDecodeScanned(ReadOnlySpan<char> segment, Span<byte> destination, out int written)
    {
        Debug.Assert(!segment.ContainsAnyExcept(Alphabet), "The caller checks the characters.");
        written = 0;
        var length = DecodedLength(segment.Length);
        if (length < 0 || destination.Length < length || !HasZeroTrailingBits(segment))
        {
            return false;
        }

        return Base64Url.TryDecodeFromChars(segment, destination, out written) && written == length;
    }

    /// <summary><see cref="IsCanonical"/> for a segment whose characters the caller has already checked.</summary>
    internal static bool IsCanonicalScanned(ReadOnlySpan<char> segment)
    {
        Debug.Assert(!segment.ContainsAnyExcept(Alphabet), "The caller checks the characters.");
        return DecodedLength(segment.Length) >= 0 && HasZeroTrailingBits(segment);
    }

    /// <summary>Whether <paramref name="encoded"/> is canonical base64url (characters, length and trailing bits).</summary>
    internal static bool IsCanonical(ReadOnlySpan<char> encoded) =>
        DecodedLength(encoded.Length) >= 0 && !encoded.ContainsAnyExcept(Alphabet) && HasZeroTrailingBits(encoded);

    /// <summary>Decodes a canonical segment into a new array, or returns <see langword="null"/>.</summary>
    internal static byte[]? DecodeToArray(ReadOnlySpan<char> encoded)
    {
        var length = DecodedLength(encoded.Length);
        if (length < 0)
        {
            return null;
        }

        var bytes = new byte[length];
        return TryDecode(encoded, bytes, out _) ? bytes : null;
    }

    private static bool HasZeroTrailingBits(ReadOnlySpan<char> encoded)
    {
        var rest = encoded.Length % 4;
        if (rest == 0)
        {
            return true;
        }

        // Two chars carry 12 bits for 1 byte (4 spare), three carry 18 bits for 2 bytes (2 spare).
        var mask = rest == 2 ? 0b1111 : 0b11;
        return (SextetOf(encoded[^1]) & mask) == 0;
    }

    private static int SextetOf(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '-' => 62,
        _ => 63,
    };
}

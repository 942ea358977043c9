using System.Buffers.Text;
using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>
/// Token ids (<c>jti</c>): 128 bits from the CSPRNG, base64url. One call to the CSPRNG costs about 1.5 µs on Linux
/// whatever its size (measured: <c>issue</c> benchmark mode, as much as the HMAC of the token), so each thread draws
/// 4 KiB at once and hands out 16 bytes at a time, never the same bytes twice. The bytes are no secret: each becomes
/// a public <c>jti</c>.
/// </summary>
internal static class TokenIds
{
    /// <summary>The bytes of one id.</summary>
    internal const int Size = 16;

    /// <summary>The base64url length of one id.</summary>
    internal const int EncodedLength = 22;

    private const int BlockSize = 4096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_next;

    /// <summary>Writes a new id's base64url form (<see cref="EncodedLength"/> ASCII bytes) into <paramref name="destination"/>.</summary>
    internal static void Next(Span<byte> destination)
    {
        var block = t_block;
        if (block is null || t_next == BlockSize)
        {
            block = t_block ??= new byte[BlockSize];
            RandomNumberGenerator.Fill(block);
            t_next = 0;
        }

        var id = block.AsSpan(t_next, Size);
        t_next += Size;
        Base64Url.EncodeToUtf8(id, destination);
        id.Clear();
    }
}

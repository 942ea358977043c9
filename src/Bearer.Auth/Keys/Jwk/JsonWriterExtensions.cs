using System.Buffers.Text;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>JSON writing the JOSE way.</summary>
internal static class JsonWriterExtensions
{
    /// <summary>Writes <paramref name="value"/> as an unpadded base64url string member (RFC 7515 §2).</summary>
    internal static void WriteBase64UrlString(this Utf8JsonWriter writer, string name, ReadOnlySpan<byte> value)
    {
        var length = Base64Url.GetEncodedLength(value.Length);
        Span<byte> buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        Base64Url.EncodeToUtf8(value, buffer);
        writer.WriteString(name, buffer);
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// The JSON side of issuance: the header, written once per issuer, and a per-thread payload writer reused across
/// tokens (a <see cref="Utf8JsonWriter"/> and its buffer are a few hundred bytes each: reused, an issued token
/// allocates only its strings and result).
/// </summary>
internal sealed class IssuedJson
{
    /// <summary>Payload buffers that grew past this (large extra claims) are dropped, not kept per thread.</summary>
    private const int RetainedCapacity = 16 * 1024;

    [ThreadStatic]
    private static IssuedJson? t_cached;

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private IssuedJson()
    {
        Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = Encoder, SkipValidation = true });
    }

    /// <summary>
    /// Escapes only what JSON requires (quotes, backslash, control characters) plus what the encoder cannot leave
    /// (lone surrogates): a token is never embedded in HTML, and <c>at+jwt</c> stays <c>at+jwt</c>, not <c>at\u002Bjwt</c>.
    /// </summary>
    internal static JavaScriptEncoder Encoder => JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    internal Utf8JsonWriter Writer { get; }

    internal ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>This thread's writer, reset and empty. Issuing never re-enters itself, so one per thread suffices.</summary>
    internal static IssuedJson Rent()
    {
        var json = t_cached ?? new IssuedJson();
        t_cached = null;
        return json;
    }

    internal static void Return(IssuedJson json)
    {
        if (json._buffer.Capacity > RetainedCapacity)
        {
            return;
        }

        json._buffer.ResetWrittenCount();
        json.Writer.Reset(json._buffer);
        t_cached = json;
    }

    /// <summary>The base64url (ASCII) of <c>{"alg":…,"typ":…,"kid":…}</c>, <c>kid</c> only when the key has one.</summary>
    internal static byte[] EncodeHeader(string algorithm, string type, string? keyId)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("alg", algorithm);
            writer.WriteString("typ", type);
            if (keyId is not null)
            {
                writer.WriteString("kid", keyId);
            }

            writer.WriteEndObject();
        }

        return Base64Url.EncodeToUtf8(buffer.WrittenSpan);
    }

    internal static void WriteClaim(Utf8JsonWriter writer, in ExtraClaim claim)
    {
        switch (claim.Kind)
        {
            case ExtraClaimKind.String:
                writer.WriteString(claim.Name, claim.Text);
                break;
            case ExtraClaimKind.Integer:
                writer.WriteNumber(claim.Name, claim.Integer);
                break;
            case ExtraClaimKind.Number:
                writer.WriteNumber(claim.Name, claim.Number);
                break;
            case ExtraClaimKind.True:
            case ExtraClaimKind.False:
                writer.WriteBoolean(claim.Name, claim.Kind == ExtraClaimKind.True);
                break;
            default:
                writer.WriteStartArray(claim.Name);
                foreach (var value in claim.Texts!)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
                break;
        }
    }
}

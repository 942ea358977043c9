using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Bearer.Auth;

/// <summary>Shared checks for untrusted JSON: the texts inside a token (RFC 8725 §3.7), key sets, provider metadata.</summary>
internal static class JsonText
{
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Whether <paramref name="json"/> is valid UTF-8 without a byte order mark, starts like a JSON object, and has
    /// no escape that decodes to a lone surrogate. The reader only validates UTF-8 lazily (and never in property
    /// names), and accepts <c>"\ud800"</c> but throws when the string is read later, so both are checked up front.
    /// </summary>
    internal static bool IsUtf8Object(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        var first = json.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && json[first] == (byte)'{' && EscapesDecodeToUtf16(json);
    }

    /// <summary>
    /// Whether no escape in <paramref name="json"/> decodes to a lone surrogate (RFC 8259 §8.2): System.Text.Json
    /// parses <c>"\ud800"</c> and throws <see cref="InvalidOperationException"/> only when the string is read, so
    /// any untrusted JSON whose strings are read (a key set, provider metadata) is checked first.
    /// </summary>
    internal static bool EscapesDecodeToUtf16(ReadOnlySpan<byte> json) => !MayEscapeSurrogate(json) || EscapesDecode(json);

    /// <summary>
    /// Parses an untrusted document whose strings are read later (a key set, provider metadata), or returns
    /// <see langword="null"/> when it is not valid JSON under <paramref name="options"/> or escapes a lone surrogate.
    /// </summary>
    internal static JsonDocument? TryParseUntrusted(string json, JsonDocumentOptions options)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        if (!EscapesDecodeToUtf16(utf8))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(utf8, options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A cheap pre-check: whether the text contains <c>\uD800</c>–<c>\uDFFF</c> (any case) anywhere.</summary>
    private static bool MayEscapeSurrogate(ReadOnlySpan<byte> json)
    {
        for (var at = json.IndexOf("\\u"u8); at >= 0 && at + 3 < json.Length; at = json.IndexOf("\\u"u8))
        {
            if ((json[at + 2] | 0x20) == 'd' && json[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }

            json = json[(at + 2)..];
        }

        return false;
    }

    /// <summary>Whether every escaped string and name decodes to valid UTF-16 (the rare path: surrogate escapes seen).</summary>
    private static bool EscapesDecode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }

        return true;
    }
}

using System.Text.Json;
using System.Text.Unicode;

namespace Bearer.Auth.Tokens;

/// <summary>Shared checks for the JSON texts inside a token (RFC 8725 §3.7).</summary>
internal static class JsonText
{
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        MaxDepth = 64,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    /// <summary>
    /// Whether <paramref name="json"/> is valid UTF-8 without a byte order mark and starts like a JSON object.
    /// The reader only validates UTF-8 lazily (and never in property names), so it is checked here up front.
    /// </summary>
    internal static bool IsUtf8Object(ReadOnlySpan<byte> json)
    {
        if (!Utf8.IsValid(json))
        {
            return false;
        }

        var first = json.IndexOfAnyExcept(" \t\r\n"u8);
        return first >= 0 && json[first] == (byte)'{';
    }
}

using System.Text;
using System.Text.Json;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// A token's segments read leniently, the way a forgiving decoder would (padding, standard-alphabet characters and
/// whitespace tolerated, pad bits ignored), so the rules of <see cref="IntentionalDisagreements"/> can say what a
/// token holds even where our strict reader refuses it. Test-side only; never what either validator runs.
/// </summary>
internal sealed class DecodedToken
{
    private DecodedToken(string token)
    {
        Segments = token.Split('.');
        HeaderBytes = Segments.Length >= 2 ? Decode(Segments[0]) : null;
        PayloadBytes = Segments.Length >= 2 ? Decode(Segments[1]) : null;
        Header = Parse(HeaderBytes);
        Payload = Parse(PayloadBytes);
    }

    internal string[] Segments { get; }

    internal byte[]? HeaderBytes { get; }

    internal byte[]? PayloadBytes { get; }

    /// <summary>The header's first JSON value (duplicate names kept, as <see cref="JsonDocument"/> does), or null when it has none.</summary>
    internal JsonElement? Header { get; }

    internal JsonElement? Payload { get; }

    internal string HeaderText => Text(HeaderBytes);

    internal string PayloadText => Text(PayloadBytes);

    internal static DecodedToken Read(string token) => new(token);

    /// <summary>The header member <paramref name="name"/> (the last one, when repeated), if the header is an object.</summary>
    internal JsonElement? HeaderMember(string name) => Member(Header, name);

    internal JsonElement? PayloadMember(string name) => Member(Payload, name);

    internal static JsonElement? Member(JsonElement? json, string name)
    {
        if (json is not { ValueKind: JsonValueKind.Object } element)
        {
            return null;
        }

        JsonElement? found = null;
        foreach (var member in element.EnumerateObject())
        {
            if (member.NameEquals(name))
            {
                found = member.Value;
            }
        }

        return found;
    }

    internal static byte[]? Decode(string segment)
    {
        var text = new StringBuilder();
        foreach (var c in segment)
        {
            switch (c)
            {
                case '-': text.Append('+'); break;
                case '_': text.Append('/'); break;
                case '=' or ' ' or '\t' or '\r' or '\n': break;
                default: text.Append(c); break;
            }
        }

        if (text.Length % 4 == 1)
        {
            return null;
        }

        text.Append('=', (4 - (text.Length % 4)) % 4);
        try
        {
            return Convert.FromBase64String(text.ToString());
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The first JSON value of <paramref name="bytes"/> (a byte order mark skipped, anything after the value ignored,
    /// as a lenient reader would), or null when there is none.
    /// </summary>
    private static JsonElement? Parse(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        var json = bytes.AsSpan();
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256, AllowMultipleValues = true });
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Text(byte[]? bytes) => bytes is null ? "(not base64url)" : Encoding.UTF8.GetString(bytes);
}

namespace Bearer.Auth;

/// <summary>
/// Untrusted text (from a token, a key set or a metadata document) made fit for a log line or a health report: cut to
/// a length (marked by "...") and reduced to printable ASCII, so it can neither forge log lines nor flood them.
/// </summary>
internal static class LogText
{
    internal static string Printable(string value, int maxLength = 128)
    {
        var text = value.Length > maxLength ? value[..maxLength] : value;
        var printable = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = source[i] is >= ' ' and <= '~' ? source[i] : '?';
            }
        });
        return value.Length > maxLength ? printable + "..." : printable;
    }
}

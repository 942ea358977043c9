using System.Text;

namespace Bearer.Auth;

/// <summary>Formats RFC 6750 §3 <c>WWW-Authenticate</c> values. Every value is a quoted-string, escaped.</summary>
internal static class BearerChallengeWriter
{
    internal static string Format(string? realm, string? error, string? errorDescription, string? reasonCode, string? scope = null)
    {
        if (realm is null && error is null && errorDescription is null && reasonCode is null && scope is null)
        {
            return BearerJwtDefaults.AuthenticationScheme;
        }

        var builder = new StringBuilder(BearerJwtDefaults.AuthenticationScheme);
        var first = true;
        Append(builder, ref first, "realm", realm);
        Append(builder, ref first, "error", error);
        Append(builder, ref first, "error_description", errorDescription);
        Append(builder, ref first, "reason", reasonCode);
        Append(builder, ref first, "scope", scope);
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, ref bool first, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        builder.Append(first ? " " : ", ").Append(name).Append("=\"");
        foreach (var c in value)
        {
            // quoted-string (RFC 9110 §5.6.4): escape quote and backslash; drop controls that cannot appear in a header.
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }
            else if (char.IsControl(c))
            {
                continue;
            }

            builder.Append(c);
        }

        builder.Append('"');
        first = false;
    }
}

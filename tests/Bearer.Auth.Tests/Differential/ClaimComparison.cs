using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Compares the claims our <see cref="JwtClaimsMapper"/> makes of a validated token with the claims IdentityModel's
/// <see cref="JsonWebTokenHandler"/> puts on its identity (claim types never mapped), as multisets of
/// (type, kind, canonical value). The normalization, and why each step is there:
/// <list type="bullet">
/// <item>Value types are compared by kind (string, number, boolean, JSON): IdentityModel names a number by the .NET
/// type it parsed into (<c>integer</c>, <c>integer64</c>, <c>uinteger64</c>, <c>double</c>), we by whether it fits a
/// 64-bit integer; it names a nested array <c>JSON_ARRAY</c>, we <c>JSON</c>. The kind is the JSON type, which both
/// must agree on.</item>
/// <item>Numbers are compared by value (<see cref="CanonicalNumber"/>): we keep the number's text as signed
/// (<c>1e3</c>, <c>2.50</c>), IdentityModel prints the .NET value it parsed (<c>1000</c>, <c>2.5</c>; beyond 64 bits a
/// double, <c>1.8446744073709552E+19</c>).</item>
/// <item>NumericDates (<c>exp</c>, <c>nbf</c>, <c>iat</c>) are compared in whole seconds, rounded half to even
/// (<see cref="WholeSeconds"/>): IdentityModel reads them into a <see cref="long"/> that way and reports that, we
/// report the number as signed (<c>1780315200.5</c>, <c>1.7803152e9</c>).</item>
/// <item>JSON values (objects, nested arrays) are compared as JSON (<see cref="CanonicalJson"/>): member order kept,
/// strings by their decoded text, numbers by value; IdentityModel re-serializes them with its own escaping.</item>
/// <item>A JSON <c>null</c> (a member or an array element) gives no claim on our side (a claim is a value; see the
/// mapper) and an empty <c>JSON_NULL</c> claim on IdentityModel's: its <c>JSON_NULL</c> claims are dropped.</item>
/// <item>Order is not compared: a <see cref="ClaimsIdentity"/> is a set to its readers.</item>
/// </list>
/// Claim names our mapper deliberately renames or splits (<c>role</c>, <c>roles</c>, <c>scope</c>, <c>scp</c>,
/// Microsoft's role URI) are kept out of the generated claim sets: that mapping is ours, pinned by the Claims tests.
/// </summary>
internal static class ClaimComparison
{
    internal const string NullValueType = "JSON_NULL";

    internal static readonly string[] MappedNames = ["role", "roles", "scope", "scp", ClaimTypes.Role];

    /// <summary>Our claims of <paramref name="token"/>, normalized.</summary>
    internal static List<string> Ours(ValidatedToken token) =>
        Normalize(new JwtClaimsMapper().CreateIdentity(token, "Bearer").Claims);

    /// <summary>IdentityModel's claims of a token it validated, normalized.</summary>
    internal static List<string> Theirs(Microsoft.IdentityModel.Tokens.TokenValidationResult result) =>
        Normalize(result.ClaimsIdentity.Claims);

    /// <summary>Null when both agree, or else a description of the difference.</summary>
    internal static string? Difference(ValidatedToken ours, Microsoft.IdentityModel.Tokens.TokenValidationResult theirs)
    {
        var mine = Ours(ours);
        var other = Theirs(theirs);
        if (mine.SequenceEqual(other, StringComparer.Ordinal))
        {
            return null;
        }

        var onlyOurs = Except(mine, other);
        var onlyTheirs = Except(other, mine);
        return "claims differ.\n  only ours: " + string.Join(" | ", onlyOurs) + "\n  only IdentityModel's: " + string.Join(" | ", onlyTheirs)
            + "\n  raw ours: " + string.Join(" | ", new JwtClaimsMapper().CreateIdentity(ours, "Bearer").Claims.Select(c => $"{c.Type}={c.Value} ({c.ValueType})"))
            + "\n  raw IdentityModel's: " + string.Join(" | ", theirs.ClaimsIdentity.Claims.Select(c => $"{c.Type}={c.Value} ({c.ValueType})"));
    }

    private static List<string> Except(List<string> left, List<string> right)
    {
        var rest = new List<string>(right);
        var only = new List<string>();
        foreach (var item in left)
        {
            if (!rest.Remove(item))
            {
                only.Add(item);
            }
        }

        return only;
    }

    private static List<string> Normalize(IEnumerable<Claim> claims)
    {
        var normalized = new List<string>();
        foreach (var claim in claims)
        {
            if (claim.ValueType == NullValueType)
            {
                continue;
            }

            var kind = KindOf(claim.ValueType);
            var value = kind switch
            {
                "number" when claim.Type is "exp" or "nbf" or "iat" => WholeSeconds(claim.Value),
                "number" => CanonicalNumber(claim.Value),
                "boolean" => claim.Value.ToLowerInvariant(),
                "json" => CanonicalJson(claim.Value),
                _ => claim.Value,
            };
            normalized.Add(claim.Type + " " + kind + " " + value);
        }

        normalized.Sort(StringComparer.Ordinal);
        return normalized;
    }

    private static string KindOf(string valueType) => valueType switch
    {
        ClaimValueTypes.String => "string",
        ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64
            or ClaimValueTypes.UInteger32 or ClaimValueTypes.UInteger64 or ClaimValueTypes.Double => "number",
        ClaimValueTypes.Boolean => "boolean",
        "JSON" or "JSON_ARRAY" => "json",
        _ => "unknown:" + valueType,
    };

    /// <summary>A NumericDate as IdentityModel keeps it: rounded to a whole second, half to even (<see cref="Convert.ToInt64(double)"/>).</summary>
    internal static string WholeSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? Convert.ToInt64(seconds).ToString(CultureInfo.InvariantCulture)
            : "not-a-number:" + text;

    /// <summary>
    /// A number by value: a 64-bit integer literal exactly, anything else as the double it parses to (as IdentityModel
    /// holds it), printed as an integer when it is one below 2^53 (so <c>1e3</c>, <c>1000.0</c> and <c>1000</c> compare equal).
    /// </summary>
    internal static string CanonicalNumber(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return "not-a-number:" + text;
        }

        return Math.Abs(value) < 9007199254740992d && value == Math.Floor(value)
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A JSON text written back canonically: member order kept, strings decoded and re-escaped alike, numbers by value.</summary>
    internal static string CanonicalJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var text = new StringBuilder();
            Write(document.RootElement, text);
            return text.ToString();
        }
        catch (JsonException)
        {
            return "not-json:" + json;
        }
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                foreach (var member in element.EnumerateObject())
                {
                    text.Append(JsonSerializer.Serialize(member.Name)).Append(':');
                    Write(member.Value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                text.Append(JsonSerializer.Serialize(element.GetString()));
                break;
            case JsonValueKind.Number:
                text.Append(CanonicalNumber(element.GetRawText()));
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }
}

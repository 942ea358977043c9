using System.Text;

namespace Bearer.Auth.Tokens;

/// <summary>
/// An immutable snapshot of the validation settings, with the UTF-8 forms the parser compares against, built once
/// per options instance so that nothing on the hot path converts or allocates.
/// </summary>
internal sealed class TokenValidationPolicy
{
    private const string ApplicationPrefix = "application/";

    internal TokenValidationPolicy(BearerJwtOptions options)
    {
        MaxTokenSize = options.MaxTokenSize;
        ClockSkewSeconds = options.ClockSkew.TotalSeconds;
        RequireExpirationTime = options.RequireExpirationTime;
        ValidateIssuer = options.ValidateIssuer;
        ValidateAudience = options.ValidateAudience;
        AllowMissingType = options.AllowMissingType;

        AllowedAlgorithms = new bool[JwsAlgorithms.All.Count];
        foreach (var algorithm in options.ValidAlgorithms)
        {
            if (JwsAlgorithms.IndexOf(algorithm) is var index and >= 0)
            {
                AllowedAlgorithms[index] = true;
            }
        }

        Issuers = Distinct(options.ValidIssuer, options.ValidIssuers);
        IssuersUtf8 = ToUtf8(Issuers);
        Audiences = Distinct(options.ValidAudience, options.ValidAudiences);
        AudiencesUtf8 = ToUtf8(Audiences);

        Types = Distinct(null, options.ValidTypes);
        TypesNormalizedUtf8 = new byte[Types.Length][];
        for (var i = 0; i < Types.Length; i++)
        {
            TypesNormalizedUtf8[i] = Encoding.UTF8.GetBytes(StripApplicationPrefix(Types[i]));
        }
    }

    internal int MaxTokenSize { get; }

    internal double ClockSkewSeconds { get; }

    internal bool RequireExpirationTime { get; }

    internal bool ValidateIssuer { get; }

    internal bool ValidateAudience { get; }

    internal bool AllowMissingType { get; }

    /// <summary>Indexed like <see cref="JwsAlgorithms.All"/>.</summary>
    internal bool[] AllowedAlgorithms { get; }

    internal string[] Issuers { get; }

    internal byte[][] IssuersUtf8 { get; }

    internal string[] Audiences { get; }

    internal byte[][] AudiencesUtf8 { get; }

    internal string[] Types { get; }

    /// <summary>The valid types without an <c>application/</c> prefix (RFC 7515 §4.1.9 lets senders omit it).</summary>
    internal byte[][] TypesNormalizedUtf8 { get; }

    internal static string StripApplicationPrefix(string type) =>
        type.Length > ApplicationPrefix.Length && type.StartsWith(ApplicationPrefix, StringComparison.OrdinalIgnoreCase)
            ? type[ApplicationPrefix.Length..]
            : type;

    private static string[] Distinct(string? single, IEnumerable<string> many)
    {
        var list = new List<string>();
        if (!string.IsNullOrEmpty(single))
        {
            list.Add(single);
        }

        foreach (var value in many)
        {
            if (!string.IsNullOrEmpty(value) && !list.Contains(value, StringComparer.Ordinal))
            {
                list.Add(value);
            }
        }

        return [.. list];
    }

    private static byte[][] ToUtf8(string[] values)
    {
        var result = new byte[values.Length][];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = Encoding.UTF8.GetBytes(values[i]);
        }

        return result;
    }
}

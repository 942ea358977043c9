using System.Text;

namespace Bearer.Auth;

/// <summary>
/// The configured issuers and audiences in UTF-8, so the claims reader can note which of them a token names while it
/// reads, and a valid token's <c>iss</c> and <c>aud</c> cost no string. Noting a match decides nothing: the
/// verification and claim rules do.
/// </summary>
internal sealed class KnownClaimValues
{
    internal KnownClaimValues(IReadOnlyList<string> issuers, IReadOnlyList<string> audiences)
    {
        Issuers = [.. issuers];
        IssuersUtf8 = ToUtf8(Issuers);
        AudiencesUtf8 = ToUtf8([.. audiences]);
    }

    internal string[] Issuers { get; }

    internal byte[][] IssuersUtf8 { get; }

    internal byte[][] AudiencesUtf8 { get; }

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

using System.Security.Cryptography;

namespace Bearer.Auth;

/// <summary>
/// The JWS algorithm names this library verifies (RFC 7518 §3.1: HS, RS, PS and ES with SHA-256/384/512).
/// <c>none</c> is deliberately absent.
/// </summary>
public static class JwsAlgorithms
{
    /// <summary>HMAC using SHA-256.</summary>
    public const string HS256 = "HS256";

    /// <summary>HMAC using SHA-384.</summary>
    public const string HS384 = "HS384";

    /// <summary>HMAC using SHA-512.</summary>
    public const string HS512 = "HS512";

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-256.</summary>
    public const string RS256 = "RS256";

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-384.</summary>
    public const string RS384 = "RS384";

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-512.</summary>
    public const string RS512 = "RS512";

    /// <summary>RSASSA-PSS using SHA-256 and MGF1 with SHA-256.</summary>
    public const string PS256 = "PS256";

    /// <summary>RSASSA-PSS using SHA-384 and MGF1 with SHA-384.</summary>
    public const string PS384 = "PS384";

    /// <summary>RSASSA-PSS using SHA-512 and MGF1 with SHA-512.</summary>
    public const string PS512 = "PS512";

    /// <summary>ECDSA using P-256 and SHA-256.</summary>
    public const string ES256 = "ES256";

    /// <summary>ECDSA using P-384 and SHA-384.</summary>
    public const string ES384 = "ES384";

    /// <summary>ECDSA using P-521 and SHA-512.</summary>
    public const string ES512 = "ES512";

    /// <summary>Gets every algorithm this library supports, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512];

    /// <summary>Returns the interned algorithm name equal (ordinally) to <paramref name="name"/>, or <see langword="null"/>.</summary>
    internal static string? Find(string? name) => IndexOf(name) is var index and >= 0 ? All[index] : null;

    /// <summary>The position in <see cref="All"/> of the algorithm equal (ordinally) to <paramref name="name"/>, or -1.</summary>
    internal static int IndexOf(string? name)
    {
        for (var i = 0; name is not null && i < All.Count; i++)
        {
            if (string.Equals(All[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The hash of an algorithm, from its last three characters.</summary>
    internal static HashAlgorithmName HashOf(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    /// <summary>The hash output size in bytes (also the minimum HMAC key size, RFC 7518 §3.2).</summary>
    internal static int HashSizeOf(string algorithm) => algorithm[2..] switch
    {
        "256" => 32,
        "384" => 48,
        _ => 64,
    };
}

using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Bearer.Auth.Fuzz;

/// <summary>
/// Checks a token the validator accepted with nothing of the library's: split on dots, the BCL's lenient base64url
/// decoder, canonical re-encoding, the signature verified by the BCL with the key the header's <c>kid</c> and
/// <c>alg</c> name, and every header and claim rule the harness's settings imply, read by System.Text.Json. A token
/// failing any of them was accepted wrongly: <see cref="FuzzFindingException"/>.
/// </summary>
internal static class IndependentCheck
{
    private const double ClockSkewSeconds = 30;

    private static readonly RSA Rsa = FuzzKeys.CreateRsa();
    private static readonly ECDsa Ecdsa = FuzzKeys.CreateEcdsa();
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The configured key ids and the one algorithm each is bound to (the RSA key serves two, as two keys).</summary>
    private static readonly Dictionary<string, string> AlgorithmOfKey = new(StringComparer.Ordinal)
    {
        ["hs"] = "HS256",
        ["rs"] = "RS256",
        ["ps"] = "PS256",
        ["es"] = "ES256",
    };

    private static readonly string[] RefusedHeaderMembers = ["crit", "zip", "b64", "enc"];

    /// <summary>Throws <see cref="FuzzFindingException"/> when <paramref name="token"/> should not have been accepted.</summary>
    internal static void Verify(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new FuzzFindingException($"Accepted a token of {parts.Length} segments.");
        }

        byte[] header;
        byte[] payload;
        byte[] signature;
        try
        {
            header = Base64Url.DecodeFromChars(parts[0]);
            payload = Base64Url.DecodeFromChars(parts[1]);
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (FormatException e)
        {
            throw new FuzzFindingException("Accepted a token the BCL cannot decode: " + e.Message, e);
        }

        if (Base64Url.EncodeToString(header) != parts[0] || Base64Url.EncodeToString(payload) != parts[1]
            || Base64Url.EncodeToString(signature) != parts[2])
        {
            throw new FuzzFindingException("Accepted a token with a non-canonical segment.");
        }

        using var headerJson = Parse(header, "header");
        var algorithm = CheckHeader(headerJson.RootElement);
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var verified = algorithm switch
        {
            "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(FuzzKeys.HmacSecret, input), signature),
            "RS256" => Rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => Ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256),
            _ => false,
        };
        if (!verified)
        {
            throw new FuzzFindingException($"Accepted a token whose {algorithm} signature does not verify.");
        }

        using var claims = Parse(payload, "payload");
        CheckClaims(claims.RootElement);
    }

    /// <summary>The header's rules; returns its <c>alg</c>.</summary>
    private static string? CheckHeader(JsonElement header)
    {
        if (header.ValueKind != JsonValueKind.Object || !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            throw new FuzzFindingException("Accepted a token whose header has no string alg.");
        }

        var algorithm = alg.GetString();
        if (header.TryGetProperty("kid", out var kid)
            && (kid.ValueKind != JsonValueKind.String || !AlgorithmOfKey.TryGetValue(kid.GetString()!, out var bound) || bound != algorithm))
        {
            // The rs and ps keys are one RSA key: only this rule tells a PS256 token under kid "rs" from a valid one.
            throw new FuzzFindingException($"Accepted a token whose kid names no key bound to {algorithm}.");
        }

        if (header.TryGetProperty("typ", out var typ)
            && (typ.ValueKind != JsonValueKind.String || !IsAllowedType(typ.GetString()!)))
        {
            throw new FuzzFindingException("Accepted a token whose typ is not JWT or at+jwt.");
        }

        foreach (var name in RefusedHeaderMembers)
        {
            if (header.TryGetProperty(name, out _))
            {
                throw new FuzzFindingException($"Accepted a token whose header has {name}.");
            }
        }

        if (header.TryGetProperty("cty", out var cty) && cty.ValueKind == JsonValueKind.String
            && string.Equals(cty.GetString(), "JWT", StringComparison.OrdinalIgnoreCase))
        {
            throw new FuzzFindingException("Accepted a nested token (cty JWT).");
        }

        return algorithm;
    }

    private static bool IsAllowedType(string type)
    {
        var name = type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) ? type["application/".Length..] : type;
        return string.Equals(name, "JWT", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "at+jwt", StringComparison.OrdinalIgnoreCase);
    }

    private static void CheckClaims(JsonElement claims)
    {
        if (!claims.TryGetProperty("iss", out var issuer) || issuer.ValueKind != JsonValueKind.String || issuer.GetString() != FuzzKeys.Issuer)
        {
            throw new FuzzFindingException("Accepted a token without the configured iss.");
        }

        if (!claims.TryGetProperty("aud", out var audience) || !NamesAudience(audience))
        {
            throw new FuzzFindingException("Accepted a token without the configured aud.");
        }

        foreach (var name in (ReadOnlySpan<string>)["sub", "jti"])
        {
            if (claims.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.String)
            {
                throw new FuzzFindingException($"Accepted a token whose {name} is not a string.");
            }
        }

        // NumericDate may be a fraction, so compare as the number the JSON says.
        var now = FuzzTimeProvider.Now.ToUnixTimeSeconds();
        if (!claims.TryGetProperty("exp", out var expires) || expires.ValueKind != JsonValueKind.Number || !(expires.GetDouble() > now - ClockSkewSeconds))
        {
            throw new FuzzFindingException("Accepted a token whose exp is missing, not a number, or past.");
        }

        if (claims.TryGetProperty("nbf", out var notBefore) && (notBefore.ValueKind != JsonValueKind.Number || !(notBefore.GetDouble() <= now + ClockSkewSeconds)))
        {
            throw new FuzzFindingException("Accepted a token whose nbf is not a number or in the future.");
        }

        // The differential suite found this one (nbf after exp, both within the skew): a token never valid.
        if (notBefore.ValueKind == JsonValueKind.Number && notBefore.GetDouble() > expires.GetDouble())
        {
            throw new FuzzFindingException("Accepted a token whose nbf is after its exp.");
        }

        if (claims.TryGetProperty("iat", out var issuedAt) && (issuedAt.ValueKind != JsonValueKind.Number || !(issuedAt.GetDouble() <= now + ClockSkewSeconds)))
        {
            throw new FuzzFindingException("Accepted a token whose iat is not a number or in the future.");
        }

        foreach (var date in (ReadOnlySpan<JsonElement>)[expires, notBefore, issuedAt])
        {
            if (date.ValueKind == JsonValueKind.Number && date.GetRawText().StartsWith('-'))
            {
                throw new FuzzFindingException("Accepted a token with a NumericDate written with a minus sign.");
            }
        }
    }

    private static bool NamesAudience(JsonElement audience)
    {
        if (audience.ValueKind == JsonValueKind.String)
        {
            return audience.GetString() == FuzzKeys.Audience;
        }

        if (audience.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        // Every value a string (RFC 7519 §4.1.3), one of them ours.
        var named = false;
        foreach (var item in audience.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            named |= item.GetString() == FuzzKeys.Audience;
        }

        return named;
    }

    private static JsonDocument Parse(byte[] json, string segment)
    {
        try
        {
            return JsonDocument.Parse(json, StrictJson);
        }
        catch (JsonException e)
        {
            throw new FuzzFindingException($"Accepted a token whose {segment} System.Text.Json refuses: {e.Message}", e);
        }
    }
}

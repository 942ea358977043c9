using System.Text.Json;

namespace Bearer.Auth.Tokens;

/// <summary>
/// Reads the JWT claims set (RFC 7519) in one forward pass: checks it is a UTF-8 JSON object without repeated
/// members, type-checks the registered claims and matches <c>iss</c> and <c>aud</c> against the configured values
/// as UTF-8, so a valid token's issuer and audience need no string allocation.
/// </summary>
internal static class JwtClaimsReader
{
    /// <summary>The largest NumericDate accepted: 9999-12-31T23:59:59Z.</summary>
    internal const double MaxNumericDate = 253402300799;

    internal static TokenFailureReason Read(ReadOnlySpan<byte> json, TokenValidationPolicy policy, out RegisteredClaims claims)
    {
        claims = default;
        if (!JsonText.IsUtf8Object(json))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);
        var names = new MemberNameSet(stackalloc ulong[32]);
        var invalid = false;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!names.TryAdd(MemberNameSet.HashName(ref reader)))
                {
                    return TokenFailureReason.MemberDuplicate;
                }

                if (reader.ValueTextEquals("iss"u8))
                {
                    reader.Read();
                    invalid |= !ReadIssuer(ref reader, policy, ref claims);
                }
                else if (reader.ValueTextEquals("aud"u8))
                {
                    reader.Read();
                    invalid |= !ReadAudience(ref reader, policy, ref claims);
                }
                else if (reader.ValueTextEquals("exp"u8))
                {
                    reader.Read();
                    invalid |= !TryReadNumericDate(ref reader, out claims.ExpiresAt);
                }
                else if (reader.ValueTextEquals("nbf"u8))
                {
                    reader.Read();
                    invalid |= !TryReadNumericDate(ref reader, out claims.NotBefore);
                }
                else if (reader.ValueTextEquals("iat"u8))
                {
                    reader.Read();
                    invalid |= !TryReadNumericDate(ref reader, out claims.IssuedAt);
                }
                else if (reader.ValueTextEquals("sub"u8) || reader.ValueTextEquals("jti"u8))
                {
                    reader.Read();
                    invalid |= reader.TokenType != JsonTokenType.String;
                }
                else
                {
                    reader.Read();
                }

                reader.Skip();
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return TokenFailureReason.TokenMalformed;
            }
        }
        catch (JsonException)
        {
            // Malformed JSON, invalid escapes or excessive depth: a refusal, never a 500.
            return TokenFailureReason.TokenMalformed;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string whose escapes decode to invalid UTF-16 (lone surrogates).
            return TokenFailureReason.TokenMalformed;
        }
        finally
        {
            names.Dispose();
        }

        return invalid ? TokenFailureReason.ClaimInvalid : TokenFailureReason.None;
    }

    private static bool ReadIssuer(ref Utf8JsonReader reader, TokenValidationPolicy policy, ref RegisteredClaims claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        for (var i = 0; i < policy.IssuersUtf8.Length; i++)
        {
            if (reader.ValueTextEquals(policy.IssuersUtf8[i]))
            {
                claims.Issuer = policy.Issuers[i];
                claims.IssuerIsConfigured = true;
                return true;
            }
        }

        // Unknown to the configuration: a key source may still bind keys to it (e.g. an authority's issuer).
        claims.Issuer = reader.GetString();
        return true;
    }

    private static bool ReadAudience(ref Utf8JsonReader reader, TokenValidationPolicy policy, ref RegisteredClaims claims)
    {
        claims.AudiencePresent = true;
        if (reader.TokenType == JsonTokenType.String)
        {
            claims.AudienceMatched |= MatchesAudience(ref reader, policy);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        // Read to the end of the array even past a bad element, so the payload is still read as a whole.
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                valid = false;
                reader.Skip();
                continue;
            }

            claims.AudienceMatched |= MatchesAudience(ref reader, policy);
        }

        return valid;
    }

    private static bool MatchesAudience(ref Utf8JsonReader reader, TokenValidationPolicy policy)
    {
        foreach (var audience in policy.AudiencesUtf8)
        {
            if (reader.ValueTextEquals(audience))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A NumericDate is a JSON number of seconds (fractions and exponents allowed, RFC 7519 §2), finite and within
    /// 0 … year 9999. Strings, booleans, null, arrays and objects are refused.
    /// </summary>
    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > MaxNumericDate)
        {
            return false;
        }

        value = seconds;
        return true;
    }
}

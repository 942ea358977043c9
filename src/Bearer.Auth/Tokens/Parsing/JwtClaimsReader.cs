using System.Text.Json;

namespace Bearer.Auth;

/// <summary>
/// Reads the JWT claims set (RFC 7519) in one forward pass: checks it is a UTF-8 JSON object without repeated
/// members, type-checks the registered claims, and notes which configured issuer and audience the token names
/// (<see cref="KnownClaimValues"/>), so a valid token's issuer and audience need no string allocation.
/// </summary>
internal static class JwtClaimsReader
{
    /// <summary>The largest NumericDate accepted: 9999-12-31T23:59:59Z.</summary>
    internal const double MaxNumericDate = 253402300799;

    internal static TokenFailureReason Read(ReadOnlySpan<byte> json, KnownClaimValues known, out RegisteredClaims claims)
    {
        claims = default;
        if (!JsonText.IsUtf8Object(json))
        {
            return TokenFailureReason.TokenMalformed;
        }

        // Scoped like the name set's stack space, so both can be handed to NestedMemberNames together.
        scoped var reader = new Utf8JsonReader(json, JsonText.ReaderOptions);

        // 32 slots hold 16 members before the set grows: a typical access token has about ten.
        var names = new MemberNameSet(stackalloc ulong[32]);
        var invalid = false;
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!names.TryAdd(MemberNameSet.HashName(ref reader, out var isPlain)))
                {
                    return TokenFailureReason.MemberDuplicate;
                }

                var member = isPlain ? Classify(reader.ValueSpan) : ClassifyEscaped(ref reader);

                reader.Read();
                switch (member)
                {
                    case Member.Issuer:
                        invalid |= !ReadIssuer(ref reader, known, ref claims);
                        break;
                    case Member.Audience:
                        var audience = ReadAudience(ref reader, known, ref claims, ref names);
                        if (audience == TokenFailureReason.MemberDuplicate)
                        {
                            return audience;
                        }

                        invalid |= audience != TokenFailureReason.None;
                        break;
                    case Member.ExpiresAt:
                        invalid |= !TryReadNumericDate(ref reader, out claims.ExpiresAt);
                        break;
                    case Member.NotBefore:
                        invalid |= !TryReadNumericDate(ref reader, out claims.NotBefore);
                        break;
                    case Member.IssuedAt:
                        invalid |= !TryReadNumericDate(ref reader, out claims.IssuedAt);
                        break;
                    case Member.StringOnly:
                        invalid |= reader.TokenType != JsonTokenType.String;
                        break;
                }

                // Only a container has anything left to read past, and its members must not repeat either.
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    && !NestedMemberNames.ReadPast(ref reader, ref names))
                {
                    return TokenFailureReason.MemberDuplicate;
                }
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

    private enum Member
    {
        Other,
        Issuer,
        Audience,
        ExpiresAt,
        NotBefore,
        IssuedAt,
        StringOnly,
    }

    /// <summary>
    /// Which registered claim a plain (unescaped) property name is, matched on its raw bytes with one switch; escaped
    /// names take <see cref="ClassifyEscaped"/>, with the same outcome.
    /// </summary>
    private static Member Classify(ReadOnlySpan<byte> name)
    {
        if (name.Length != 3)
        {
            return Member.Other;
        }

        return name[0] switch
        {
            (byte)'i' when name.SequenceEqual("iss"u8) => Member.Issuer,
            (byte)'i' when name.SequenceEqual("iat"u8) => Member.IssuedAt,
            (byte)'a' when name.SequenceEqual("aud"u8) => Member.Audience,
            (byte)'e' when name.SequenceEqual("exp"u8) => Member.ExpiresAt,
            (byte)'n' when name.SequenceEqual("nbf"u8) => Member.NotBefore,
            (byte)'s' when name.SequenceEqual("sub"u8) => Member.StringOnly,
            (byte)'j' when name.SequenceEqual("jti"u8) => Member.StringOnly,
            _ => Member.Other,
        };
    }

    /// <summary>Which registered claim the reader's escaped property name is, compared after unescaping.</summary>
    private static Member ClassifyEscaped(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("iss"u8) ? Member.Issuer
        : reader.ValueTextEquals("aud"u8) ? Member.Audience
        : reader.ValueTextEquals("exp"u8) ? Member.ExpiresAt
        : reader.ValueTextEquals("nbf"u8) ? Member.NotBefore
        : reader.ValueTextEquals("iat"u8) ? Member.IssuedAt
        : reader.ValueTextEquals("sub"u8) || reader.ValueTextEquals("jti"u8) ? Member.StringOnly
        : Member.Other;

    private static bool ReadIssuer(ref Utf8JsonReader reader, KnownClaimValues known, ref RegisteredClaims claims)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        for (var i = 0; i < known.IssuersUtf8.Length; i++)
        {
            if (reader.ValueTextEquals(known.IssuersUtf8[i]))
            {
                claims.Issuer = known.Issuers[i];
                claims.IssuerIsConfigured = true;
                return true;
            }
        }

        // Unknown to the configuration: a key source may still bind keys to it (e.g. an authority's issuer).
        claims.Issuer = reader.GetString();
        return true;
    }

    /// <summary>
    /// Reads <c>aud</c>: <see cref="TokenFailureReason.ClaimInvalid"/> when it is not a string or an array of strings,
    /// <see cref="TokenFailureReason.MemberDuplicate"/> when an object inside it repeats a name.
    /// </summary>
    private static TokenFailureReason ReadAudience(ref Utf8JsonReader reader, KnownClaimValues known, ref RegisteredClaims claims, ref MemberNameSet names)
    {
        claims.AudiencePresent = true;
        if (reader.TokenType == JsonTokenType.String)
        {
            claims.AudienceMatched |= MatchesAudience(ref reader, known);
            return TokenFailureReason.None;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            // Left on an object or array, the caller reads past it and checks its names.
            return TokenFailureReason.ClaimInvalid;
        }

        // Read to the end of the array even past a bad element, so the payload is still read as a whole.
        var valid = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                valid = false;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    && !NestedMemberNames.ReadPast(ref reader, ref names))
                {
                    return TokenFailureReason.MemberDuplicate;
                }

                continue;
            }

            claims.AudienceMatched |= MatchesAudience(ref reader, known);
        }

        return valid ? TokenFailureReason.None : TokenFailureReason.ClaimInvalid;
    }

    private static bool MatchesAudience(ref Utf8JsonReader reader, KnownClaimValues known)
    {
        foreach (var audience in known.AudiencesUtf8)
        {
            if (reader.ValueTextEquals(audience))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A NumericDate is a JSON number of seconds (fractions and exponents allowed, RFC 7519 §2), finite and from 0
    /// (1970-01-01T00:00:00Z) to <see cref="MaxNumericDate"/> (9999-12-31T23:59:59Z). RFC 7519 does not forbid a
    /// negative count, but no token was issued or became valid before 1970, and a negative <c>exp</c> is a token
    /// that never lived: such a value is a broken issuer, refused rather than compared; so is any number written with
    /// a minus sign, even one that reads as 0. Strings, booleans, null, arrays and objects are refused.
    /// </summary>
    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out double? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        // A minus sign is refused whatever follows: "-1e-400" and "-0" read as 0 (1970), and no issuer writes a date so.
        if (!TryReadWholeSeconds(reader.ValueSpan, out var seconds)
            && (reader.ValueSpan[0] == (byte)'-' || !reader.TryGetDouble(out seconds) || !double.IsFinite(seconds)))
        {
            return false;
        }

        if (seconds < 0 || seconds > MaxNumericDate)
        {
            return false;
        }

        value = seconds;
        return true;
    }

    /// <summary>
    /// The usual NumericDate, a plain run of at most 15 digits, converted without the general floating-point parser.
    /// Such a value is below 2⁵³, so the result is exactly what <see cref="Utf8JsonReader.TryGetDouble"/> returns;
    /// anything else (sign, fraction, exponent, more digits) is left to it. The reader has already refused leading zeros.
    /// </summary>
    private static bool TryReadWholeSeconds(ReadOnlySpan<byte> number, out double seconds)
    {
        seconds = 0;
        if (number.Length > 15)
        {
            return false;
        }

        long whole = 0;
        foreach (var b in number)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            whole = (whole * 10) + digit;
        }

        seconds = whole;
        return true;
    }
}

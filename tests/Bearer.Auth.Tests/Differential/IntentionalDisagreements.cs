using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// THE list of places where we deliberately refuse a token Microsoft.IdentityModel (8.19.2, configured as in
/// <see cref="TwoValidators"/>) accepts. The differential tests fail on any other disagreement: a token we accept and
/// IdentityModel refuses, or one it accepts and we refuse for a reason not listed here. An entry matches only when our
/// reason is its <see cref="IntentionalDisagreement.Reason"/> AND the token really has the property the entry names
/// (checked on the token itself, independently of our reader), so a wrong refusal cannot hide behind a right code.
/// Each entry is proved live by <see cref="IntentionalDisagreementTests"/> with its <see cref="IntentionalDisagreement.Example"/>.
/// </summary>
internal static class IntentionalDisagreements
{
    internal static readonly IntentionalDisagreement DuplicateMember = new(
        "Repeated member name, at any depth of header or payload",
        TokenFailureReason.MemberDuplicate,
        "RFC 7515 §4 and RFC 7519 §4 (names MUST be unique: a parser rejects, or takes the lexically last), RFC 8259 §4 (behaviour with duplicates is unpredictable)",
        "IdentityModel reads the last duplicate; a first-wins reader elsewhere would see another token",
        token => HasDuplicateName(token.Header) || HasDuplicateName(token.Payload),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT"}""", Payload("\"sub\":\"a\",\"realm_access\":{\"roles\":[\"admin\"],\"roles\":[\"user\"]}")));

    internal static readonly IntentionalDisagreement NonCanonicalBase64Url = new(
        "Segment not in canonical unpadded base64url (padding, '+' or '/', whitespace, non-zero pad bits)",
        TokenFailureReason.TokenMalformed,
        "RFC 7515 §2 (base64url: trailing '=' omitted, no line breaks, whitespace or other characters), §5.2 steps 2 and 6, Appendix C; RFC 4648 §3.5 (pad bits zero)",
        "One token must have one spelling: a repeat-token cache, a revocation list by text, a log grep all rely on it",
        token => token.Segments.Length == 3 && token.Segments.Any(s => !IsCanonical(s)) && token.Segments.Take(2).All(s => DecodedToken.Decode(s) is not null),
        Example: static keys => NonCanonicalExample(keys));

    internal static readonly IntentionalDisagreement UnknownKeyId = new(
        "The kid names no configured key",
        TokenFailureReason.KeyNotFound,
        "RFC 7515 §4.1.4 (kid selects the key), RFC 7517 §4.5; bounded work per token (issue 12, finding 4)",
        "IdentityModel then tries every key (TryAllIssuerSigningKeys); we never try keys the kid did not name",
        token => token.HeaderMember("kid") is { ValueKind: JsonValueKind.String } kid && OracleKeys.Instance.ByKeyId(kid.GetString()) is null,
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-unknown","typ":"JWT"}""", Payload(null), keys.For("HS256")));

    internal static readonly IntentionalDisagreement KeyBoundToOtherAlgorithm = new(
        "The kid names a key bound to another algorithm than the header's alg",
        TokenFailureReason.KeyNotFound,
        "RFC 8725 §3.1 (each key used with exactly one algorithm), RFC 7517 §4.4 (a key's alg)",
        "IdentityModel uses an RSA key for any RS*/PS* algorithm; ours is bound to the one it was published with",
        token => token.HeaderMember("kid") is { ValueKind: JsonValueKind.String } kid
            && OracleKeys.Instance.ByKeyId(kid.GetString()) is { } key
            && !(token.HeaderMember("alg") is { ValueKind: JsonValueKind.String } alg && alg.GetString() == key.Algorithm),
        Example: static keys => Signed(keys, """{"alg":"RS256","kid":"k-PS256","typ":"JWT"}""", Payload(null), keys.For("RS256")));

    internal static readonly IntentionalDisagreement HeaderParameterOfWrongType = new(
        "alg, kid or typ in the header is not a string (null, a number, an array)",
        TokenFailureReason.TokenMalformed,
        "RFC 7515 §4.1.1 (alg), §4.1.4 (kid) and §4.1.9 (typ) are strings (case-sensitive for alg and kid)",
        "IdentityModel reads a null typ or kid as absent",
        token => new[] { "alg", "kid", "typ" }.Any(name => token.HeaderMember(name) is { ValueKind: not JsonValueKind.String }),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":null}""", Payload(null)));

    internal static readonly IntentionalDisagreement TypeNotAllowed = new(
        "typ is not an access-token type (JWT, at+jwt, application/at+jwt)",
        TokenFailureReason.TypeInvalid,
        "RFC 8725 §3.11 (explicit typing keeps other kinds of JWT out), RFC 9068 §2.1, RFC 7515 §4.1.9",
        "IdentityModel checks typ only when ValidTypes is set, which JwtBearer does not by default",
        token => token.HeaderMember("typ") is { } typ && !IsAllowedType(typ),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"dpop+jwt"}""", Payload(null)));

    internal static readonly IntentionalDisagreement RegisteredClaimOfWrongTypeOrRange = new(
        "A registered claim of the wrong JSON type or out of range (sub/jti not a string, aud not string(s), NumericDate with a minus sign or after 9999)",
        TokenFailureReason.ClaimInvalid,
        "RFC 7519 §4.1.2 (sub: StringOrURI), §4.1.7 (jti: a string), §4.1.3 (aud: StringOrURI or an array of them), §2 (NumericDate)",
        "IdentityModel accepts a number or null as sub or jti, a null among the aud values, a negative nbf or iat, an iat after 9999",
        token => HasRegisteredClaimProblem(token),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT"}""", Payload("\"jti\":\"j-1\",\"sub\":42").Replace("\"sub\":\"user-1\",", "", StringComparison.Ordinal)));

    internal static readonly IntentionalDisagreement IssuedInFuture = new(
        "iat is in the future beyond the clock skew",
        TokenFailureReason.TokenIssuedInFuture,
        "RFC 7519 §4.1.6 (iat: when the token was issued) — a token from the future is a broken or hostile issuer clock",
        "IdentityModel does not check iat",
        token => NumericDate(token, "iat") is { } iat && iat > TwoValidators.Now.ToUnixTimeSeconds() + TwoValidators.ClockSkew.TotalSeconds,
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT"}""", $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","exp":{{TwoValidators.Now.ToUnixTimeSeconds() + 300}},"iat":{{TwoValidators.Now.ToUnixTimeSeconds() + 60}}}"""));

    internal static readonly IntentionalDisagreement CriticalHeader = new(
        "The header has crit",
        TokenFailureReason.CritUnsupported,
        "RFC 7515 §4.1.11 (a recipient that does not understand a listed extension MUST reject; we implement none)",
        "IdentityModel ignores crit",
        token => token.HeaderMember("crit") is not null,
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT","crit":["exp"],"exp":1}""", Payload(null)));

    internal static readonly IntentionalDisagreement UnsupportedHeader = new(
        "The header has zip or b64",
        TokenFailureReason.HeaderUnsupported,
        "RFC 7797 §3 (b64 changes what is signed), RFC 7516 §4.1.3 (zip is a JWE parameter), RFC 7515 §5.2 step 4 (only parameters understood and supported)",
        "IdentityModel ignores both in a JWS",
        token => token.HeaderMember("zip") is not null || token.HeaderMember("b64") is not null,
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT","zip":"DEF"}""", Payload(null)));

    internal static readonly IntentionalDisagreement NestedToken = new(
        "cty says the payload is itself a JWT",
        TokenFailureReason.TokenNested,
        "RFC 7519 §5.2 and §7.2 step 8 (cty JWT: the payload is a nested JWT to process in turn); we process no nested tokens",
        "IdentityModel ignores cty in a JWS",
        token => token.HeaderMember("cty") is { ValueKind: JsonValueKind.String } cty
            && cty.GetString()!.Replace("application/", "", StringComparison.OrdinalIgnoreCase).Equals("JWT", StringComparison.OrdinalIgnoreCase),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT","cty":"JWT"}""", Payload(null)));

    internal static readonly IntentionalDisagreement EncryptionHeader = new(
        "The header has enc (a JWE header on a three-segment token)",
        TokenFailureReason.TokenEncrypted,
        "RFC 7516 §9 (enc marks a JWE), RFC 7515 §4.1.1; only JWS is accepted",
        "IdentityModel reads a three-segment token as a JWS whatever the header says",
        token => token.HeaderMember("enc") is not null,
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT","enc":"A128GCM"}""", Payload(null)));

    internal static readonly IntentionalDisagreement AudienceWithTrailingSlash = new(
        "aud names the audience only with an extra trailing slash",
        TokenFailureReason.AudienceInvalid,
        "RFC 7519 §4.1.3 and §2 (StringOrURI values compare as case-sensitive strings, no canonicalization)",
        "IdentityModel ignores a trailing slash (IgnoreTrailingSlashWhenValidatingAudience, on by default)",
        token => Audiences(token).Any(a => a.TrimEnd('/') == TestJwt.Audience) && !Audiences(token).Contains(TestJwt.Audience),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT"}""", Payload(null, audience: TestJwt.Audience + "/")));

    internal static readonly IntentionalDisagreement NotOneJsonObject = new(
        "Header or payload is not exactly one valid UTF-8 JSON object (data after the object, a byte order mark, invalid UTF-8, an escaped lone surrogate)",
        TokenFailureReason.TokenMalformed,
        "RFC 7515 §5.2 step 3 and RFC 7519 §7.2 steps 3 and 10 (a completely valid JSON object), RFC 8259 §2 (one value), §8.1 (UTF-8, no BOM), §8.2 (unpaired surrogates), RFC 8725 §3.7",
        "IdentityModel reads the first object and ignores what follows it",
        token => !IsStrictJsonObject(token.HeaderBytes) || !IsStrictJsonObject(token.PayloadBytes),
        Example: static keys => Signed(keys, """{"alg":"HS256","kid":"k-HS256","typ":"JWT"}{"alg":"none"}""", Payload(null), keys.For("HS256")));

    /// <summary>Every entry, in the order the report lists them.</summary>
    internal static readonly IReadOnlyList<IntentionalDisagreement> All =
    [
        DuplicateMember, NonCanonicalBase64Url, UnknownKeyId, KeyBoundToOtherAlgorithm, HeaderParameterOfWrongType, TypeNotAllowed,
        RegisteredClaimOfWrongTypeOrRange, IssuedInFuture, CriticalHeader, UnsupportedHeader, NestedToken,
        EncryptionHeader, AudienceWithTrailingSlash, NotOneJsonObject,
    ];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The entry that explains why we refuse <paramref name="verdicts"/>' token while IdentityModel accepts it, or null.</summary>
    internal static IntentionalDisagreement? Explain(Verdicts verdicts)
    {
        var token = DecodedToken.Read(verdicts.Token);
        foreach (var entry in All)
        {
            if (entry.Reason == verdicts.Ours.Failure && entry.Applies(token))
            {
                return entry;
            }
        }

        return null;
    }

    private static string Payload(string? extra, string audience = TestJwt.Audience) =>
        TestJwt.Payload(TwoValidators.Now, extra, audience: audience);

    private static string Signed(OracleKeys keys, string header, string payload, AlgorithmKey? key = null)
    {
        key ??= keys.For(JsonDocument.Parse(header).RootElement.GetProperty("alg").GetString()!);
        return TestJwt.Sign(header, payload, input => key.Signing.Sign(input));
    }

    private static string NonCanonicalExample(OracleKeys keys)
    {
        // Padding on the header segment, signed over the text as sent: a lenient decoder reads the same header.
        var header = TestJwt.B64("""{"alg":"HS256","kid":"k-HS256","typ":"JWT"} """) + "=";
        var input = header + "." + TestJwt.B64(Payload(null));
        return input + "." + TestJwt.B64(keys.For("HS256").Signing.Sign(Encoding.ASCII.GetBytes(input)));
    }

    internal static bool IsCanonical(string segment)
    {
        foreach (var c in segment)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        if (segment.Length % 4 == 1)
        {
            return false;
        }

        var bytes = DecodedToken.Decode(segment);
        return bytes is not null && Base64Url.EncodeToString(bytes) == segment;
    }

    private static bool IsAllowedType(JsonElement typ)
    {
        if (typ.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        var value = typ.GetString()!;
        if (value.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && value.Length > 12)
        {
            value = value[12..];
        }

        return value.Equals("JWT", StringComparison.OrdinalIgnoreCase) || value.Equals("at+jwt", StringComparison.OrdinalIgnoreCase);
    }

    internal static bool HasDuplicateName(JsonElement? json)
    {
        if (json is not { } element)
        {
            return false;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<(string Name, bool Raw)>();
                foreach (var member in element.EnumerateObject())
                {
                    if (!names.Add(NameOf(member)) || HasDuplicateName(member.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                return element.EnumerateArray().Any(item => HasDuplicateName(item));
            default:
                return false;
        }
    }

    /// <summary>
    /// The member's name as UTF-16 code units, unpaired surrogates kept: <see cref="JsonProperty.Name"/> throws on
    /// <c>"\ud800"</c>, which is still a name, and still repeated when written again in any spelling. A name whose raw
    /// text is not UTF-8 is kept as its bytes (<c>Raw</c>), equal only to the same bytes.
    /// </summary>
    private static (string Name, bool Raw) NameOf(JsonProperty member)
    {
        try
        {
            return (member.Name, false);
        }
        catch (InvalidOperationException)
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(member);
            var name = new StringBuilder();
            try
            {
                for (var i = 0; i < raw.Length;)
                {
                    if (raw[i] != (byte)'\\')
                    {
                        var run = raw[i..].IndexOf((byte)'\\');
                        var end = run < 0 ? raw.Length : i + run;
                        name.Append(StrictUtf8.GetString(raw[i..end]));
                        i = end;
                    }
                    else if (raw[i + 1] == (byte)'u')
                    {
                        name.Append((char)Convert.ToUInt16(Encoding.ASCII.GetString(raw.Slice(i + 2, 4)), 16));
                        i += 6;
                    }
                    else
                    {
                        name.Append(raw[i + 1] switch { (byte)'b' => '\b', (byte)'f' => '\f', (byte)'n' => '\n', (byte)'r' => '\r', (byte)'t' => '\t', var c => (char)c });
                        i += 2;
                    }
                }
            }
            catch (DecoderFallbackException)
            {
                return (Convert.ToHexString(raw), true);
            }

            return (name.ToString(), false);
        }
    }

    private static bool HasRegisteredClaimProblem(DecodedToken token)
    {
        foreach (var name in new[] { "sub", "jti", "iss" })
        {
            if (token.PayloadMember(name) is { } value && value.ValueKind != JsonValueKind.String)
            {
                return true;
            }
        }

        if (token.PayloadMember("aud") is { } aud
            && !(aud.ValueKind == JsonValueKind.String
                || (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String))))
        {
            return true;
        }

        foreach (var name in new[] { "exp", "nbf", "iat" })
        {
            if (token.PayloadMember(name) is { } value
                && (value.ValueKind != JsonValueKind.Number || value.GetRawText()[0] == '-' || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > 253402300799))
            {
                return true;
            }
        }

        return false;
    }

    internal static double? NumericDate(DecodedToken token, string name) =>
        token.PayloadMember(name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDouble(out var seconds) ? seconds : null;

    private static List<string> Audiences(DecodedToken token) => token.PayloadMember("aud") switch
    {
        { ValueKind: JsonValueKind.String } single => [single.GetString()!],
        { ValueKind: JsonValueKind.Array } many => [.. many.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
        _ => [],
    };

    /// <summary>Whether <paramref name="bytes"/> are one JSON object in strict UTF-8, every string decodable (depth aside).</summary>
    internal static bool IsStrictJsonObject(byte[]? bytes)
    {
        if (bytes is null || !Utf8.IsValid(bytes) || bytes.AsSpan().StartsWith("\uFEFF"u8))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 1024 });
            var first = true;
            while (reader.Read())
            {
                if (first && reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                first = false;
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                {
                    _ = reader.GetString();
                }
            }

            return !first;
        }
        catch (JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Random structural mutations of a valid token: text edits of any segment (character changes, bit flips, swaps,
/// truncations, duplications, drops), re-encodings (padding, the standard alphabet, whitespace, non-zero pad bits),
/// and member edits of the header and payload (alg/kid/typ changes, extension headers, duplicates at any depth,
/// registered claims of other values and types, JSON text oddities), re-encoded and then left with the old
/// signature, re-signed by the trusted key, or signed by an attacker's.
/// </summary>
internal static class TokenMutations
{
    private static readonly string[] AlgorithmValues =
        [.. JsonAlgorithms(), "\"none\"", "\"None\"", "\"hs256\"", "\"HS256 \"", "\"\"", "1", "null", "[\"HS256\"]", "\"RSA-OAEP\"", "\"EdDSA\""];

    private static readonly string[] TypeValues =
        ["\"JWT\"", "\"jwt\"", "\"at+jwt\"", "\"application/at+jwt\"", "\"application/JWT\"", "\"AT+JWT\"", "\"JOSE\"", "\"dpop+jwt\"", "\"id_token+jwt\"", "\"\"", "1", "null"];

    private static readonly string[] ExtraHeaders =
    [
        "\"crit\":[\"exp\"]", "\"crit\":[]", "\"crit\":\"b64\"", "\"zip\":\"DEF\"", "\"b64\":false", "\"b64\":true", "\"cty\":\"JWT\"",
        "\"cty\":\"application/jwt\"", "\"cty\":\"json\"", "\"enc\":\"A128GCM\"", "\"jku\":\"https://attacker.test/jwks\"",
        "\"x5u\":\"https://attacker.test/cert\"", "\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}", "\"x5c\":[\"MIIB\"]", "\"x-private\":{\"a\":[1,2]}",
        "\"\\u0063rit\":[\"exp\"]",
    ];

    internal static Mutant Mutate(Random random, OracleKeys keys, AlgorithmKey key, string header, string payload)
    {
        var original = TestJwt.Sign(header, payload, input => key.Signing.Sign(input));
        return random.Next(10) < 4 ? TextMutation(random, keys, original) : JsonMutation(random, keys, key, original, header, payload);
    }

    private static Mutant TextMutation(Random random, OracleKeys keys, string original)
    {
        var parts = original.Split('.');
        var i = random.Next(3);
        string token;
        string what;
        switch (random.Next(14))
        {
            case 0:
                var at = random.Next(parts[i].Length);
                var chars = parts[i].ToCharArray();
                chars[at] = Base64UrlChar(random, except: chars[at]);
                parts[i] = new string(chars);
                (token, what) = (Join(parts), $"character {at} of segment {i} changed");
                break;
            case 1:
                var bytes = DecodedToken.Decode(parts[i])!;
                var bit = random.Next(bytes.Length * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                parts[i] = Base64Url.EncodeToString(bytes);
                (token, what) = (Join(parts), $"bit {bit} of segment {i} flipped");
                break;
            case 2:
                var j = (i + 1 + random.Next(2)) % 3;
                (parts[i], parts[j]) = (parts[j], parts[i]);
                (token, what) = (Join(parts), $"segments {i} and {j} swapped");
                break;
            case 3:
                var cut = random.Next(original.Length);
                (token, what) = (original[..cut], $"truncated to {cut} characters");
                break;
            case 4:
                (token, what) = (string.Join('.', parts.Where((_, n) => n != i)), $"segment {i} dropped");
                break;
            case 5:
                var list = parts.ToList();
                list.Insert(i, parts[i]);
                (token, what) = (string.Join('.', list), $"segment {i} duplicated");
                break;
            case 6:
                parts[i] += random.Next(2) == 0 ? "=" : "==";
                (token, what) = (Join(parts), $"padding added to segment {i}");
                break;
            case 7:
                parts[i] = parts[i].Replace('-', '+').Replace('_', '/');
                (token, what) = (Join(parts), $"segment {i} in the standard base64 alphabet");
                break;
            case 8:
                var where = random.Next(original.Length + 1);
                var space = RandomClaimSets.Pick(random, [" ", "\n", "\t", "\r\n", "%20", "+"]);
                (token, what) = (original.Insert(where, space), $"'{Escape(space)}' inserted at {where}");
                break;
            case 9:
                parts[i] = WithPadBits(parts[i]);
                (token, what) = (Join(parts), $"non-zero pad bits in segment {i}");
                break;
            case 10:
                parts[2] = "";
                (token, what) = (Join(parts), "signature emptied");
                break;
            case 11:
                (token, what) = random.Next(3) switch
                {
                    0 => (original + ".", "trailing dot"),
                    1 => (original + "." + original, "token repeated"),
                    _ => ("." + original, "leading dot"),
                };
                break;
            case 12:
                var other = TestJwt.Sign(DecodedToken.Read(original).HeaderText, TestJwt.Payload(TwoValidators.Now, "\"admin\":true"), input => keys.For("HS256").Signing.Sign(input));
                parts[2] = other.Split('.')[2];
                (token, what) = (Join(parts), "signature transplanted from another token");
                break;
            default:
                parts[i] = random.Next(2) == 0 ? parts[i].ToUpperInvariant() : parts[i].ToLowerInvariant();
                (token, what) = (Join(parts), $"segment {i} case-folded");
                break;
        }

        return new Mutant(original, token, what, Resigning.None, null);
    }

    private static Mutant JsonMutation(Random random, OracleKeys keys, AlgorithmKey key, string original, string header, string payload)
    {
        var headerMembers = Members(header);
        var payloadMembers = Members(payload);
        var what = new List<string>();
        var edits = 1 + random.Next(2);
        string? headerText = null;
        string? payloadText = null;
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(16))
            {
                case 0:
                    Set(headerMembers, "alg", RandomClaimSets.Pick(random, AlgorithmValues), what);
                    break;
                case 1:
                    var kid = random.Next(5) switch
                    {
                        0 => null,
                        1 => "\"k-unknown\"",
                        2 => "7",
                        3 => "\"\"",
                        _ => JsonSerializer.Serialize(RandomClaimSets.Pick(random, keys.All).KeyId),
                    };
                    Set(headerMembers, "kid", kid, what);
                    break;
                case 2:
                    Set(headerMembers, "typ", random.Next(8) == 0 ? null : RandomClaimSets.Pick(random, TypeValues), what);
                    break;
                case 3:
                    var extra = RandomClaimSets.Pick(random, ExtraHeaders);
                    var colon = extra.IndexOf("\":", StringComparison.Ordinal);
                    headerMembers.Add((extra[..(colon + 1)], extra[(colon + 2)..]));
                    what.Add("header member " + extra);
                    break;
                case 4:
                    var repeated = RandomClaimSets.Pick(random, headerMembers);
                    var value = repeated.Name == "\"alg\"" ? RandomClaimSets.Pick(random, AlgorithmValues) : repeated.Value;
                    headerMembers.Add((repeated.Name, value));
                    what.Add($"header member {repeated.Name} repeated as {value}");
                    break;
                case 5:
                    Set(payloadMembers, "iss", RandomClaimSets.Pick(random, [null, "\"https://other-issuer.test\"", JsonSerializer.Serialize(TestJwt.Issuer + "/"), "\"HTTPS://ISSUER.TEST\"", "1", "[\"https://issuer.test\"]"]), what);
                    break;
                case 6:
                    Set(payloadMembers, "aud", RandomClaimSets.Pick(random, [null, "\"api://other\"", "\"api://test/\"", "[\"api://test/\"]", "[]", "[\"api://test\",1]", "1", "{\"aud\":\"api://test\"}", "\"API://TEST\"", "[\"api://other\",\"api://test\"]"]), what);
                    break;
                case 7:
                    Set(payloadMembers, "exp", TimeValue(random, "exp"), what);
                    break;
                case 8:
                    Set(payloadMembers, "nbf", TimeValue(random, "nbf"), what);
                    break;
                case 9:
                    Set(payloadMembers, "iat", TimeValue(random, "iat"), what);
                    break;
                case 10:
                    Set(payloadMembers, random.Next(2) == 0 ? "sub" : "jti", RandomClaimSets.Pick(random, ["1", "null", "true", "[\"a\"]", "{\"a\":1}", "\"\"", "\"other-user\""]), what);
                    break;
                case 11:
                    var duplicated = RandomClaimSets.Pick(random, payloadMembers);
                    var newValue = random.Next(2) == 0 ? duplicated.Value : RandomClaimSets.Value(random, 2);
                    payloadMembers.Insert(random.Next(payloadMembers.Count + 1), (duplicated.Name, newValue));
                    what.Add($"payload member {duplicated.Name} repeated as {newValue}");
                    break;
                case 12:
                    payloadMembers.Add(("\"realm_access\"", "{\"roles\":[\"admin\"],\"roles\":[\"user\"]}"));
                    what.Add("nested duplicate realm_access.roles");
                    break;
                case 13:
                    if (payloadMembers.Count > 0)
                    {
                        var removed = random.Next(payloadMembers.Count);
                        what.Add("payload member " + payloadMembers[removed].Name + " removed");
                        payloadMembers.RemoveAt(removed);
                    }

                    break;
                case 14:
                    var name = JsonSerializer.Serialize(RandomClaimSets.Name(random));
                    if (!payloadMembers.Any(m => m.Name == name))
                    {
                        var added = RandomClaimSets.Value(random, 0);
                        payloadMembers.Add((name, added));
                        what.Add($"payload member {name} added as {added}");
                    }

                    break;
                default:
                    // Text-level JSON oddities, applied to the serialized header or payload.
                    var onHeader = random.Next(3) == 0;
                    var text = Serialize(onHeader ? headerMembers : payloadMembers);
                    var (odd, description) = JsonOddity(random, text);
                    what.Add((onHeader ? "header " : "payload ") + description);
                    if (onHeader)
                    {
                        headerText = odd;
                    }
                    else
                    {
                        payloadText = odd;
                    }

                    break;
            }
        }

        headerText ??= Serialize(headerMembers);
        payloadText ??= Serialize(payloadMembers);
        var signingInput = B64(headerText) + "." + B64(payloadText);
        var parts = original.Split('.');
        var roll = random.Next(20);
        if (roll < 4)
        {
            return new Mutant(original, signingInput + "." + parts[2], string.Join("; ", what) + "; old signature kept", Resigning.None, null);
        }

        if (roll < 7)
        {
            var (signature, attacker) = AttackerSignature(random, keys, Encoding.ASCII.GetBytes(signingInput));
            return new Mutant(original, signingInput + "." + Base64Url.EncodeToString(signature), string.Join("; ", what) + "; signed by " + attacker, Resigning.Attacker, null);
        }

        var trusted = TrustedSignerFor(keys, headerText) ?? key;
        return new Mutant(
            original,
            signingInput + "." + Base64Url.EncodeToString(trusted.Signing.Sign(Encoding.ASCII.GetBytes(signingInput))),
            string.Join("; ", what) + "; re-signed with " + trusted.KeyId,
            Resigning.TrustedKey,
            trusted);
    }

    /// <summary>The key the header points to: its <c>kid</c>'s if that names a key of its <c>alg</c>, else its <c>alg</c>'s.</summary>
    private static AlgorithmKey? TrustedSignerFor(OracleKeys keys, string headerText)
    {
        var header = DecodedToken.Read(B64(headerText) + ".e30.");
        var alg = header.HeaderMember("alg") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
        var kid = header.HeaderMember("kid") is { ValueKind: JsonValueKind.String } k ? k.GetString() : null;
        if (keys.ByKeyId(kid) is { } named && named.Algorithm == alg)
        {
            return named;
        }

        return JwsAlgorithms.All.Contains(alg) ? keys.For(alg!) : null;
    }

    private static (byte[] Signature, string Who) AttackerSignature(Random random, OracleKeys keys, byte[] input)
    {
        switch (random.Next(4))
        {
            case 0:
                return (HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), input), "an unknown HMAC secret");
            case 1:
                // The classic confusion: the RSA public key, as published, used as an HMAC secret.
                using (var rsa = SignedTokens.NewRsa())
                {
                    return (HMACSHA256.HashData(rsa.ExportSubjectPublicKeyInfo(), input), "HMAC keyed with the RSA public key");
                }

            case 2:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return (ecdsa.SignData(input, HashAlgorithmName.SHA256), "a fresh P-256 key");
                }

            default:
                return (HMACSHA256.HashData(Encoding.UTF8.GetBytes("secret"), input), "the HMAC secret 'secret'");
        }
    }

    private static string? TimeValue(Random random, string claim)
    {
        var now = TwoValidators.Now.ToUnixTimeSeconds();
        var skew = (long)TwoValidators.ClockSkew.TotalSeconds;
        return random.Next(16) switch
        {
            0 => null,
            1 => (now - skew - 1).ToString(CultureInfo.InvariantCulture),
            2 => (now - skew + 1).ToString(CultureInfo.InvariantCulture),
            3 => (now + skew + 1).ToString(CultureInfo.InvariantCulture),
            4 => (now + skew - 1).ToString(CultureInfo.InvariantCulture),
            5 => (now + 600).ToString(CultureInfo.InvariantCulture) + ".25",
            6 => (now + 600) / 1e9 is var e ? e.ToString("0.#########", CultureInfo.InvariantCulture) + "E9" : "",
            7 => "\"" + now.ToString(CultureInfo.InvariantCulture) + "\"",
            8 => "-1",
            9 => "1e20",
            10 => "253402300800",
            11 => "null",
            12 => "true",
            13 => (now - skew).ToString(CultureInfo.InvariantCulture) + ".5",
            14 => claim == "exp" ? (now + 10).ToString(CultureInfo.InvariantCulture) : (now + 20).ToString(CultureInfo.InvariantCulture),
            _ => "0",
        };
    }

    private static (string Text, string Description) JsonOddity(Random random, string json) => random.Next(12) switch
    {
        0 => (json + "x", "trailing garbage"),
        1 => (json + " ", "trailing space"),
        2 => ("\uFEFF" + json, "byte order mark"),
        3 => (json[..^1] + ",}", "trailing comma"),
        4 => ("/*c*/" + json, "comment"),
        5 => (json.Replace("\":", "\" : ", StringComparison.Ordinal), "spaces around colons"),
        6 => (json[..^1] + ",\"s\":\"\\ud800\"}", "lone surrogate escape"),
        7 => (json + json, "object repeated"),
        8 => (json[..^1] + ",\"d\":" + new string('[', 70) + new string(']', 70) + "}", "nesting of 70"),
        9 => (json[..^1] + ",\"d\":" + new string('[', 60) + new string(']', 60) + "}", "nesting of 60"),
        10 => (json.Replace("\"alg\"", "\"\\u0061lg\"", StringComparison.Ordinal).Replace("\"exp\"", "\"\\u0065xp\"", StringComparison.Ordinal), "escaped member names"),
        _ => ("[" + json + "]", "object in an array"),
    };

    private static List<(string Name, string Value)> Members(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(m => (JsonSerializer.Serialize(m.Name), m.Value.GetRawText()))];
    }

    private static void Set(List<(string Name, string Value)> members, string name, string? value, List<string> what)
    {
        var quoted = "\"" + name + "\"";
        var at = members.FindIndex(m => m.Name == quoted);
        if (value is null)
        {
            if (at >= 0)
            {
                members.RemoveAt(at);
            }

            what.Add(name + " removed");
            return;
        }

        if (at >= 0)
        {
            members[at] = (quoted, value);
        }
        else
        {
            members.Add((quoted, value));
        }

        what.Add(name + " = " + value);
    }

    private static string Serialize(List<(string Name, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => m.Name + ":" + m.Value)) + "}";

    private static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    private static string Join(string[] parts) => string.Join('.', parts);

    private static char Base64UrlChar(Random random, char except)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char c;
        do
        {
            c = alphabet[random.Next(alphabet.Length)];
        }
        while (c == except);
        return c;
    }

    /// <summary>The same bytes with the unused low bits of the last character set (a second spelling of the segment).</summary>
    private static string WithPadBits(string segment)
    {
        if (segment.Length % 4 is 0 or 1)
        {
            return segment + "A";
        }

        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var last = alphabet.IndexOf(segment[^1], StringComparison.Ordinal);
        var unused = segment.Length % 4 == 2 ? 0b1111 : 0b11;
        return segment[..^1] + alphabet[last | unused];
    }

    private static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);

    private static IEnumerable<string> JsonAlgorithms() => JwsAlgorithms.All.Select(a => "\"" + a + "\"");
}

using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;
using CsCheck;

namespace Bearer.Auth.Tests.Properties;

/// <summary>
/// Properties of reading a token's JSON (RFC 8259, RFC 7515 §4, RFC 7519 §4, RFC 8725 §3.7): random objects written by
/// System.Text.Json, every member name spelled with random escapes, read back through the validator and the claims
/// mapping give the values that were written; a name repeated in any object at any depth, in any spelling, is
/// <c>member_duplicate</c>; invalid UTF-8 and lone surrogates anywhere are <c>token_malformed</c>; nesting is read to
/// depth 64 and refused at 65.
/// </summary>
public sealed class JsonReadingProperties
{
    /// <summary>The reader's limit (<see cref="JsonText.ReaderOptions"/>), counting the outermost object as depth 1.</summary>
    private const int MaxDepth = 64;

    private static readonly string[] ReservedTopLevelNames =
    [
        "iss", "aud", "sub", "exp", "nbf", "iat", "jti", "sid", "cnf", "name", "role", "roles", "scope", "scp", "azp", "client_id", ClaimTypes.Role,
    ];

    private static readonly long Now = ValidatorFixture.Now.ToUnixTimeSeconds();

    /// <summary>A payload: the registered claims a valid token needs (a random <c>sub</c>, <c>aud</c> as a string or array), then random claims.</summary>
    private static readonly Gen<JsonObject> Payloads = Gen.Select(
        JsonTrees.Text,
        Gen.Select(Gen.Bool, JsonTrees.Text.Array[0, 3], Gen.Int[0, 3]),
        JsonTrees.Members(JsonTrees.Text.Select(n => Array.IndexOf(ReservedTopLevelNames, n) >= 0 ? n + "!" : n), JsonTrees.Value(3), 0, 8),
        (subject, audience, claims) =>
        {
            var (asArray, others, at) = audience;
            var members = new List<(string, JsonTree)>
            {
                ("iss", new JsonString(TestJwt.Issuer)),
                ("aud", asArray ? new JsonArray([.. others.Take(at).Select(o => new JsonString(o)), new JsonString(TestJwt.Audience), .. others.Skip(at).Select(o => new JsonString(o))]) : new JsonString(TestJwt.Audience)),
                ("sub", new JsonString(subject)),
                ("exp", new JsonNumber((Now + 300).ToString(CultureInfo.InvariantCulture))),
                ("iat", new JsonNumber(Now.ToString(CultureInfo.InvariantCulture))),
                ("nbf", new JsonNumber(Now.ToString(CultureInfo.InvariantCulture))),
            };
            members.AddRange(claims);
            return new JsonObject(members);
        });

    /// <summary>A header: alg and kid, then random members under names no JOSE parameter has (an <c>x-</c> prefix).</summary>
    private static readonly Gen<JsonObject> Headers =
        JsonTrees.Members(JsonTrees.Text.Select(n => "x-" + n), JsonTrees.Value(3), 0, 5).Select(extra =>
        {
            var members = new List<(string, JsonTree)> { ("alg", new JsonString("HS256")), ("kid", new JsonString("hs")) };
            members.AddRange(extra);
            return new JsonObject(members);
        });

    /// <summary>
    /// Written and read back: the payload is the exact bytes signed, <c>sub</c> and every top-level string are what was
    /// written (<see cref="ValidatedToken.GetStringClaim"/>), and the mapped claims are the written values in order: a
    /// string as itself, a number as its JSON text, an array as one claim per element, an object as its JSON text.
    /// </summary>
    [Fact]
    public async Task Random_claims_read_back_as_written_whatever_the_escapes()
    {
        using var fixture = new ValidatorFixture();
        var mapper = new JwtClaimsMapper();
        await RandomRuns.CheckAsync(
            Gen.Select(Headers, Payloads, Gen.Int[0, 3], Gen.Int[0, int.MaxValue]),
            async input =>
            {
                var (header, payload, style, seed) = input;
                var random = new Random(seed);
                var payloadBytes = JsonTrees.Serialize(payload, style, random);
                var token = RawJwt.Hs(fixture.HmacKey, JsonTrees.Serialize(header, style, random), payloadBytes);

                var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

                Assert.Equal(TokenFailureReason.None, result.Failure);
                var validated = result.Token!;
                Assert.Equal(payloadBytes, validated.Payload.ToArray());
                Assert.Equal(((JsonString)payload.Members[2].Value).Value, validated.Subject);
                foreach (var (name, value) in payload.Members)
                {
                    Assert.Equal((value as JsonString)?.Value, validated.GetStringClaim(Encoding.UTF8.GetBytes(name)));
                }

                var expected = ExpectedClaims(payload, payloadBytes);
                var mapped = mapper.CreateIdentity(validated, "test").Claims.Select(c => (c.Type, c.Value, c.ValueType)).ToList();
                Assert.Equal(expected, mapped);
            },
            cases: 300,
            print: input => $"header {JsonTrees.Show(input.Item1)}, payload {JsonTrees.Show(input.Item2)}, style {input.Item3}, seed {input.Item4}");
    }

    /// <summary>
    /// Any object of the header or payload, at any depth (inside arrays too), given a second member with the name of one
    /// it has, spelled with other escapes, is <c>member_duplicate</c>. The registered claims are in the draw, so
    /// <c>"\u0073ub"</c> next to <c>"sub"</c> is one of the cases.
    /// </summary>
    [Fact]
    public async Task A_repeated_name_in_any_object_in_any_spelling_is_a_duplicate()
    {
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(Headers, Payloads, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, int.MaxValue], JsonTrees.Scalar),
            async input =>
            {
                var (header, payload, inHeader, style, seed, repeatedValue) = input;
                var random = new Random(seed);
                var target = inHeader ? header : payload;
                var objects = JsonTrees.Objects(target).Where(o => o.Members.Count > 0).ToList();
                var victim = objects[random.Next(objects.Count)];
                var (name, _) = victim.Members[random.Next(victim.Members.Count)];
                victim.Members.Insert(random.Next(victim.Members.Count + 1), (name, repeatedValue));

                var token = RawJwt.Hs(fixture.HmacKey, JsonTrees.Serialize(header, style, random), JsonTrees.Serialize(payload, style, random));

                Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(token));
            },
            cases: 500,
            print: input => $"header {JsonTrees.Show(input.Item1)}, payload {JsonTrees.Show(input.Item2)}, in header {input.Item3}, style {input.Item4}, seed {input.Item5}");
    }

    /// <summary>Names that differ after unescaping are distinct, however alike their escapes look: no false duplicate.</summary>
    [Fact]
    public async Task Names_that_differ_once_unescaped_are_never_duplicates()
    {
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(JsonTrees.Text, Gen.Int[0, int.MaxValue]),
            async input =>
            {
                var (name, seed) = input;
                var random = new Random(seed);
                var other = name + "\u0000";
                var payload = fixture.ValidPayload(string.Create(
                    CultureInfo.InvariantCulture,
                    $"\"x-{JsonTrees.Spell(name, random)}\":1,\"x-{JsonTrees.Spell(other, random)}\":2,\"o\":{{\"{JsonTrees.Spell(name, random)}\":1,\"{JsonTrees.Spell(other, random)}\":2}}"));

                Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""")));
            },
            cases: 200);
    }

    /// <summary>
    /// A string or name anywhere in the header or payload replaced by bytes that are not UTF-8 (stray continuation bytes,
    /// overlong forms, encoded surrogates, code points past U+10FFFF, truncated sequences) or by an escape that leaves a
    /// surrogate unpaired is <c>token_malformed</c>, signed or not, never an exception.
    /// </summary>
    [Fact]
    public async Task Invalid_utf8_or_a_lone_surrogate_anywhere_is_malformed()
    {
        byte[][] invalid =
        [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xC3],
            .. new[] { "\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\ud83d\\u0041", "\\ude00\\ud83d", "\\ud83dx", "\\ud83d\\ud83d" }.Select(Encoding.ASCII.GetBytes),
        ];
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(Headers, Payloads, Gen.Bool, Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[0, invalid.Length - 1]),
            async input =>
            {
                var (header, payload, inHeader, style, seed, which) = input;
                var random = new Random(seed);
                const string Placeholder = "BADBADBAD";
                var target = inHeader ? header : payload;
                var objects = JsonTrees.Objects(target);
                var holder = objects[random.Next(objects.Count)];
                var asName = random.Next(2) == 0;
                holder.Members.Insert(random.Next(holder.Members.Count + 1), asName ? (Placeholder, new JsonNumber("1")) : ("x-bad", new JsonString(Placeholder)));
                var headerBytes = JsonTrees.Serialize(header, style, random, n => n == Placeholder ? n : JsonTrees.Spell(n, random));
                var payloadBytes = JsonTrees.Serialize(payload, style, random, n => n == Placeholder ? n : JsonTrees.Spell(n, random));
                if (inHeader)
                {
                    headerBytes = Replace(headerBytes, Placeholder, invalid[which]);
                }
                else
                {
                    payloadBytes = Replace(payloadBytes, Placeholder, invalid[which]);
                }

                Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, headerBytes, payloadBytes)));
            },
            cases: 300,
            print: input => $"header {JsonTrees.Show(input.Item1)}, payload {JsonTrees.Show(input.Item2)}, in header {input.Item3}, style {input.Item4}, seed {input.Item5}, bytes {input.Item6}");
    }

    /// <summary>
    /// A random chain of arrays and objects nesting exactly to the limit (the outermost object is depth 1) in the header
    /// or the payload is read; one level more is <c>token_malformed</c>. An off-by-one in either direction fails.
    /// </summary>
    [Fact]
    public async Task Nesting_to_the_depth_limit_is_read_and_one_level_more_is_malformed()
    {
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(Gen.Bool.Array[MaxDepth], Gen.Bool, Gen.Int[0, 3], JsonTrees.Scalar, Gen.Int[0, int.MaxValue]),
            async input =>
            {
                var (containers, inHeader, innermost, scalar, seed) = input;
                var random = new Random(seed);
                foreach (var extra in new[] { 0, 1 })
                {
                    // The outermost object is level 1, so levels - 1 containers go inside it.
                    var levels = MaxDepth + extra;
                    JsonTree chain = innermost switch { 0 => new JsonArray([]), 1 => new JsonObject([]), _ => scalar };
                    var wraps = levels - 1 - (innermost <= 1 ? 1 : 0);
                    for (var i = 0; i < wraps; i++)
                    {
                        chain = containers[i % containers.Length] ? new JsonArray([chain]) : new JsonObject([("d", chain)]);
                    }

                    var header = new JsonObject([("alg", new JsonString("HS256")), ("kid", new JsonString("hs"))]);
                    var payload = new JsonObject([("iss", new JsonString(TestJwt.Issuer)), ("aud", new JsonString(TestJwt.Audience)), ("exp", new JsonNumber((Now + 300).ToString(CultureInfo.InvariantCulture)))]);
                    (inHeader ? header : payload).Members.Add(("x-deep", chain));
                    var token = RawJwt.Hs(fixture.HmacKey, JsonTrees.Serialize(header, 0, random), JsonTrees.Serialize(payload, 0, random));

                    Assert.Equal(extra == 0 ? TokenFailureReason.None : TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
                }
            },
            cases: 60,
            print: input => $"arrays {string.Concat(input.Item1.Select(b => b ? '[' : '{'))}, in header {input.Item2}, innermost {input.Item3}");
    }

    /// <summary>What the default mapping must produce for <paramref name="payload"/>: each written value, in order.</summary>
    private static List<(string Type, string Value, string ValueType)> ExpectedClaims(JsonObject payload, byte[] payloadBytes)
    {
        // Containers map to their JSON text exactly as written; the document gives each one's text by position.
        using var document = JsonDocument.Parse(payloadBytes);
        var written = document.RootElement.EnumerateObject().Select(p => p.Value).ToList();
        var claims = new List<(string, string, string)>();
        for (var i = 0; i < payload.Members.Count; i++)
        {
            var (name, value) = payload.Members[i];
            if (value is JsonArray array)
            {
                var elements = written[i].EnumerateArray().ToList();
                for (var j = 0; j < array.Items.Length; j++)
                {
                    Add(name, array.Items[j], elements[j]);
                }
            }
            else
            {
                Add(name, value, written[i]);
            }
        }

        return claims;

        void Add(string type, JsonTree value, JsonElement element)
        {
            switch (value)
            {
                case JsonString s:
                    claims.Add((type, s.Value, ClaimValueTypes.String));
                    break;
                case JsonNumber n:
                    claims.Add((type, n.Text, long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? ClaimValueTypes.Integer64 : ClaimValueTypes.Double));
                    break;
                case JsonLiteral { Text: "null" }:
                    break;
                case JsonLiteral l:
                    claims.Add((type, l.Text, ClaimValueTypes.Boolean));
                    break;
                default:
                    claims.Add((type, element.GetRawText(), "JSON"));
                    break;
            }
        }
    }

    private static byte[] Replace(byte[] json, string placeholder, byte[] replacement)
    {
        var at = json.AsSpan().IndexOf(Encoding.ASCII.GetBytes(placeholder));
        Assert.True(at >= 0);
        return [.. json.AsSpan(0, at), .. replacement, .. json.AsSpan(at + placeholder.Length)];
    }
}

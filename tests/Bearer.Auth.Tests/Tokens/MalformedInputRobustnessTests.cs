using System.Text;
using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// Whatever the bytes, validation ends in a result (never an exception, i.e. never a 500) that is either a validated
/// token or one reason a token can be refused for (never a request-level one, never one no input could reach, never
/// "none"), and a token that passes reads back exactly the header and claims that were signed. Seeded, so repeatable.
/// </summary>
public sealed class MalformedInputRobustnessTests
{
    private const string Header = """{"alg":"HS256","kid":"hs","typ":"JWT"}""";

    /// <summary>
    /// Reasons no token text can produce in <see cref="BearerJwtValidator.ValidateAsync(string, CancellationToken)"/>:
    /// "none" is no refusal, the request-level ones belong to the handler's reading of the request, the revocation
    /// check is not configured and an application's rejection happens in an event.
    /// </summary>
    private static readonly TokenFailureReason[] NotTokenReasons =
    [
        TokenFailureReason.None,
        TokenFailureReason.TokenMissing,
        TokenFailureReason.HeaderDuplicate,
        TokenFailureReason.TokenEmpty,
        TokenFailureReason.TokenMultiple,
        TokenFailureReason.TokenRevoked,
        TokenFailureReason.TokenRejected,
    ];

    /// <summary>
    /// The reasons the re-signed mutations can reach. Not reachable: a token over <c>MaxTokenSize</c> (they are a few
    /// hundred characters), a JSON serialization (the text always starts with a base64url header), an unreachable key
    /// source (the keys are fixed), and the header members <c>enc</c>, <c>cty</c>, <c>crit</c>, <c>zip</c> and
    /// <c>b64</c>: their names need a <c>c</c>, <c>z</c> or <c>b</c>, which neither the header nor the inserted bytes
    /// contain, and spelling one as a <c>\u</c> escape takes more than the three edits a mutation makes.
    /// </summary>
    private static readonly HashSet<TokenFailureReason> ReSignedReasons =
    [
        .. Enum.GetValues<TokenFailureReason>().Except(NotTokenReasons).Except(
        [
            TokenFailureReason.TokenTooLarge,
            TokenFailureReason.TokenJsonSerialization,
            TokenFailureReason.KeySourceUnavailable,
            TokenFailureReason.TokenEncrypted,
            TokenFailureReason.TokenNested,
            TokenFailureReason.CritUnsupported,
            TokenFailureReason.HeaderUnsupported,
        ]),
    ];

    /// <summary>
    /// The reasons edited token text can reach: any token reason except a token over <c>MaxTokenSize</c> (three edits
    /// add at most three characters) and an unreachable key source (the keys are fixed). Inserted dots make five
    /// segments and a leading brace a JSON serialization, so those stay.
    /// </summary>
    private static readonly HashSet<TokenFailureReason> EditedTextReasons =
    [
        .. Enum.GetValues<TokenFailureReason>().Except(NotTokenReasons).Except(
        [
            TokenFailureReason.TokenTooLarge,
            TokenFailureReason.KeySourceUnavailable,
        ]),
    ];

    /// <summary>JSON punctuation, escape and number characters, multi-byte UTF-8, and bytes that are never valid UTF-8 alone.</summary>
    private static readonly byte[] Interesting =
        [.. Encoding.UTF8.GetBytes("{}[]\",:\\u0dDeE+-.01239 \t\r\nnulltruefalse\u00e9\u20ac"), 0x00, 0x80, 0xC0, 0xED, 0xF4, 0xFF];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Re_signed_tokens_with_mutated_header_or_payload_bytes_always_end_in_a_defined_result(int seed)
    {
        using var fixture = new ValidatorFixture();
        var random = new Random(seed);
        var header = Encoding.UTF8.GetBytes(Header);
        var payload = Encoding.UTF8.GetBytes(fixture.ValidPayload("\"jti\":\"j\",\"name\":\"Zoë\",\"aud2\":[\"a\",{\"b\":[1,2.5e3]}]"));
        var outcomes = new HashSet<TokenFailureReason>();

        for (var i = 0; i < 1500; i++)
        {
            var mutateHeader = random.Next(4) == 0;
            var mutated = Mutate(mutateHeader ? header : payload, random);
            var token = mutateHeader
                ? RawJwt.Hs(fixture.HmacKey, mutated, payload)
                : RawJwt.Hs(fixture.HmacKey, header, mutated);

            var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

            AssertOneOutcome(result, ReSignedReasons, token);
            outcomes.Add(result.Failure);
            if (result.Succeeded)
            {
                AssertReadsBackWhatWasSigned(result.Token!, token, mutateHeader ? mutated : header, mutateHeader ? payload : mutated);
                if (mutateHeader)
                {
                    // The payload is the one signed before any mutation: its claims are the fixture's.
                    Assert.Equal("user-1", result.Token!.Subject);
                    Assert.Equal("j", result.Token.TokenId);
                    Assert.Equal("Zoë", result.Token.GetStringClaim("name"u8));
                    Assert.Equal(TestJwt.Issuer, result.Token.Issuer);
                }
            }
        }

        // The mutations reach past the parser: some tokens still pass, most are refused for several reasons.
        Assert.Contains(TokenFailureReason.None, outcomes);
        Assert.Contains(TokenFailureReason.TokenMalformed, outcomes);
        Assert.True(outcomes.Count >= 4, string.Join(", ", outcomes));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Mutated_token_text_is_refused_without_an_exception(int seed)
    {
        using var fixture = new ValidatorFixture();
        var random = new Random(seed);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.= +/{}\"";

        for (var i = 0; i < 1500; i++)
        {
            var chars = token.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0:
                        chars[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                    default:
                        chars.RemoveAt(at);
                        break;
                }
            }

            var mutated = new string([.. chars]);
            var result = await fixture.Validator.ValidateAsync(mutated, TestContext.Current.CancellationToken);

            AssertOneOutcome(result, EditedTextReasons, mutated);
            if (mutated != token)
            {
                Assert.False(result.Succeeded, mutated);
            }
            else
            {
                // Edits that cancel out (an insertion removed again) leave the original token, which is valid.
                Assert.True(result.Succeeded, mutated);
                Assert.Equal("user-1", result.Token!.Subject);
                Assert.Equal(TestJwt.Issuer, result.Token.Issuer);
            }
        }
    }

    /// <summary>
    /// A result is a validated token with no reason, or a reason with no token; a reason is one of
    /// <paramref name="reachable"/> and has a code of its own.
    /// </summary>
    private static void AssertOneOutcome(TokenValidationResult result, HashSet<TokenFailureReason> reachable, string token)
    {
        Assert.True(
            (result.Failure == TokenFailureReason.None) == (result.Token is not null),
            $"{result.Failure} with{(result.Token is null ? "out" : string.Empty)} a token: {token}");
        if (!result.Succeeded)
        {
            Assert.Contains(result.Failure, reachable);
            Assert.NotEqual("none", result.Failure.ToCode());
        }
    }

    /// <summary>
    /// The validated token is the one presented, and its header and claims are what an independent JSON reader finds
    /// in the signed bytes (the only key that verifies HS256 here is the fixture's <c>hs</c> key).
    /// </summary>
    private static void AssertReadsBackWhatWasSigned(ValidatedToken validated, string token, byte[] header, byte[] payload)
    {
        Assert.Equal(token, validated.RawToken);
        Assert.Equal(payload, validated.Payload.ToArray());
        Assert.Equal("hs", validated.Key.KeyId);
        Assert.Equal(JwsAlgorithms.HS256, validated.Key.Algorithm);

        using var headerJson = JsonDocument.Parse(header);
        Assert.Equal(StringMember(headerJson.RootElement, "alg"), validated.Header.Algorithm);
        Assert.Equal(StringMember(headerJson.RootElement, "kid"), validated.Header.KeyId);

        using var claims = JsonDocument.Parse(payload);
        var root = claims.RootElement;
        Assert.Equal(StringMember(root, "iss"), validated.Issuer);
        Assert.Equal(TestJwt.Issuer, validated.Issuer);
        Assert.Equal(StringMember(root, "sub"), validated.Subject);
        Assert.Equal(StringMember(root, "jti"), validated.TokenId);
        Assert.Equal(StringMember(root, "name"), validated.GetStringClaim("name"u8));
        Assert.Equal((long)(root.GetProperty("exp").GetDouble() * 1000), validated.ExpiresAt!.Value.ToUnixTimeMilliseconds());
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = source.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 1:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    var length = Math.Min(random.Next(1, 12), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return [.. bytes];
    }
}

using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// Whatever the bytes, validation ends in a result (never an exception, i.e. never a 500), the reason is one of the
/// closed set, and a token that passes yields a validated token whose claims can be read. Seeded, so repeatable.
/// </summary>
public sealed class MalformedInputRobustnessTests
{
    private const string Header = """{"alg":"HS256","kid":"hs","typ":"JWT"}""";

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

            Assert.True(Enum.IsDefined(result.Failure));
            outcomes.Add(result.Failure);
            if (result.Succeeded)
            {
                _ = result.Token!.Subject;
                _ = result.Token.TokenId;
                _ = result.Token.GetStringClaim("name"u8);
                Assert.Equal(TokenFailureReason.None, result.Failure);
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

            Assert.True(Enum.IsDefined(result.Failure));
            if (mutated != token)
            {
                Assert.False(result.Succeeded, mutated);
            }
        }
    }

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

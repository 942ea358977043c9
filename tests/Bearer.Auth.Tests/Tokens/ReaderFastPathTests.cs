using System.Globalization;
using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// The header and claims readers match plain names on their raw bytes and escaped names after unescaping, and read
/// whole-second NumericDates without the floating-point parser. Each shortcut must give exactly what the general
/// path gives: these tests compare the two on every name the readers recognise and on numbers at every edge.
/// </summary>
public sealed class ReaderFastPathTests
{
    private static readonly KnownClaimValues AnyIssuerAndAudience = new(["i"], ["a"]);

    /// <summary>Every header parameter the header reader recognises, with a value that makes it matter.</summary>
    public static TheoryData<string, string> HeaderParameters => new()
    {
        { "alg", "\"none\"" },
        { "alg", "\"HS512\"" },
        { "kid", "\"unknown\"" },
        { "typ", "\"foo+bar\"" },
        { "cty", "\"JWT\"" },
        { "enc", "\"A128GCM\"" },
        { "crit", "[\"exp\"]" },
        { "zip", "\"DEF\"" },
        { "b64", "false" },
    };

    [Theory]
    [MemberData(nameof(HeaderParameters))]
    public async Task An_escaped_header_name_is_read_like_its_plain_spelling(string name, string value)
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        string Header(string spelledName) => name == "alg"
            ? $$"""{"{{spelledName}}":{{value}},"kid":"hs"}"""
            : $$"""{"alg":"HS256","kid":"hs","{{spelledName}}":{{value}}}""";

        var plain = await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header(name)));
        var escaped = await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header(EscapeAll(name))));
        var partly = await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header(name[..^1] + EscapeAll(name[^1..]))));

        Assert.NotEqual(TokenFailureReason.None, plain);
        Assert.Equal(plain, escaped);
        Assert.Equal(plain, partly);
    }

    /// <summary>Every registered claim the claims reader type-checks, with a value of the wrong type.</summary>
    public static TheoryData<string> RegisteredClaims => new() { "iss", "aud", "exp", "nbf", "iat", "sub", "jti" };

    [Theory]
    [MemberData(nameof(RegisteredClaims))]
    public void An_escaped_claim_name_is_read_like_its_plain_spelling(string name)
    {
        static TokenFailureReason Read(string json) =>
            JwtClaimsReader.Read(Encoding.UTF8.GetBytes(json), AnyIssuerAndAudience, out _);

        var plain = Read($$$"""{"{{{name}}}":{"not":"a string or number"}}""");
        var escaped = Read($$$"""{"{{{EscapeAll(name)}}}":{"not":"a string or number"}}""");

        Assert.Equal(TokenFailureReason.ClaimInvalid, plain);
        Assert.Equal(plain, escaped);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("abcdefg")]
    [InlineData("abcdefgh")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("é")]
    [InlineData("éééé")]
    public async Task Escaped_and_plain_spellings_of_a_name_of_any_length_are_duplicates(string name)
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload($"\"{name}\":1,\"{EscapeAll(name)}\":2"), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(token));
    }

    public static TheoryData<string> NumericDateEdges => new()
    {
        "0", "-0", "1", "-1", "253402300799", "253402300800", "999999999999999", "1000000000000000", "9007199254740993",
        "9223372036854775808", "18446744073709551615", "18446744074709551616", "184467440737095516160", "1.5", "1e3",
        "1E3", "0.0", "4102444800.5", "1e400", "-1e400", "12345678901234567890123",
    };

    [Theory]
    [MemberData(nameof(NumericDateEdges))]
    public void A_NumericDate_is_what_the_double_parser_reads_within_range(string number) =>
        AssertReadLikeDoubleParser(number);

    [Fact]
    public void Whole_second_NumericDates_of_1_to_21_digits_are_what_the_double_parser_reads()
    {
        var random = new Random(1);
        for (var i = 0; i < 20_000; i++)
        {
            var number = new StringBuilder().Append((char)('1' + random.Next(9)));
            for (var digits = random.Next(1, 22); number.Length < digits;)
            {
                number.Append((char)('0' + random.Next(10)));
            }

            AssertReadLikeDoubleParser(number.ToString());
        }
    }

    private static void AssertReadLikeDoubleParser(string number)
    {
        var failure = JwtClaimsReader.Read(Encoding.UTF8.GetBytes("{\"exp\":" + number + "}"), AnyIssuerAndAudience, out var claims);

        var expected = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        // A minus sign is refused even where the value is 0 ("-0"): the range is the text's, not only the double's.
        var inRange = double.IsFinite(expected) && expected >= 0 && expected <= JwtClaimsReader.MaxNumericDate && number[0] != '-';
        Assert.True((inRange ? TokenFailureReason.None : TokenFailureReason.ClaimInvalid) == failure, number);
        if (inRange)
        {
            Assert.True(expected == claims.ExpiresAt, number);
        }
    }

    private static string EscapeAll(string name)
    {
        var escaped = new StringBuilder();
        foreach (var c in name)
        {
            escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }

        return escaped.ToString();
    }
}

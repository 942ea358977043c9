using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.7 and RFC 7515 §5.2: header and payload are UTF-8 JSON objects without repeated member names (in any
/// escaped spelling), deep or huge input is refused without an exception, the size limit comes before anything else,
/// and legal JSON whitespace and escapes still verify because the signature covers the received text.
/// </summary>
public sealed class JsonTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    public static TheoryData<string> DuplicateHeaders =>
    [
        """{"alg":"HS256","kid":"hs","alg":"HS256"}""",
        """{"alg":"HS256","kid":"hs","alg":"none"}""",
        """{"alg":"none","alg":"HS256","kid":"hs"}""",
        """{"alg":"HS256","kid":"hs","\u0061lg":"HS256"}""",
        """{"alg":"HS256","kid":"hs","al\u0067":"none"}""",
        """{"\u0061\u006c\u0067":"HS256","kid":"hs","alg":"HS256"}""",
        """{"alg":"HS256","kid":"hs","kid":"other"}""",
        """{"alg":"HS256","kid":"hs","\u006bid":"hs"}""",
        """{"alg":"HS256","kid":"hs","typ":"JWT","typ":"JWT"}""",
        """{"alg":"HS256","kid":"hs","x":1,"x":2}""",
        """{"alg":"HS256","kid":"hs","jku":"a","jku":"b"}""",
    ];

    public static TheoryData<string> DuplicatePayloadMembers =>
    [
        "\"exp\":1", "\"\\u0065xp\":4102444800", "\"iss\":\"https://issuer.test\"", "\"i\\u0073s\":\"evil\"", "\"aud\":\"api://test\"",
        "\"aud\":[\"api://test\"]", "\"sub\":\"admin\"", "\"nbf\":0", "\"iat\":0", "\"role\":\"admin\",\"role\":\"user\"",
        "\"ro\\u006ce\":\"admin\",\"role\":\"user\"", "\"jti\":\"a\",\"jti\":\"b\"",
    ];

    /// <summary>Invalid UTF-8 as hex: stray bytes, overlong forms, encoded surrogates, beyond U+10FFFF, 5-byte and truncated sequences.</summary>
    public static TheoryData<string> InvalidUtf8 =>
    [
        "FF", "FE", "C0AF", "C080", "E080AF", "F08080AF", "EDA080", "EDBFBF", "F4908080", "F888808080", "E282", "80",
    ];

    public static TheoryData<string> ForeignEncodings => ["utf-8-bom", "utf-16le", "utf-16le-bom", "utf-16be", "utf-32le", "utf-32be"];

    [Theory]
    [MemberData(nameof(DuplicateHeaders))]
    public async Task Repeated_header_member_in_any_spelling_is_refused_before_key_lookup(string header)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header)));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(DuplicatePayloadMembers))]
    public async Task Repeated_payload_member_in_any_spelling_is_refused(string extra)
    {
        using var fixture = new ValidatorFixture();
        var payload = fixture.ValidPayload(extra);

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header)));
    }

    [Fact]
    public async Task Member_names_differing_only_in_case_are_distinct()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload("\"EXP\":\"x\",\"Iss\":1"), headerJson: """{"alg":"HS256","kid":"hs","Alg":"none"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_in_a_header_value_or_name_is_malformed(string badHex)
    {
        using var fixture = new ValidatorFixture();
        var bad = Convert.FromHexString(badHex);
        var inValue = RawJwt.Concat(RawJwt.Utf8("""{"alg":"HS256","kid":"hs","x":"a"""), bad, RawJwt.Utf8("\"}"));
        var inName = RawJwt.Concat(RawJwt.Utf8("{\"alg\":\"HS256\",\"kid\":\"hs\",\""), bad, RawJwt.Utf8("\":1}"));
        var payload = RawJwt.Utf8(fixture.ValidPayload());

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, inValue, payload)));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, inName, payload)));
    }

    [Theory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task Invalid_utf8_in_a_claim_value_or_name_is_malformed(string badHex)
    {
        using var fixture = new ValidatorFixture();
        var bad = Convert.FromHexString(badHex);
        var valid = fixture.ValidPayload();
        var inValue = RawJwt.Concat(RawJwt.Utf8(valid[..^1] + ",\"name\":\"a"), bad, RawJwt.Utf8("\"}"));
        var inName = RawJwt.Concat(RawJwt.Utf8(valid[..^1] + ",\""), bad, RawJwt.Utf8("\":1}"));
        var inSubject = RawJwt.Concat(RawJwt.Utf8(valid.Replace("user-1", "user", StringComparison.Ordinal)[..^1] + ",\"x\":\""), bad, RawJwt.Utf8("\"}"));
        var header = RawJwt.Utf8(Header);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, header, inValue)));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, header, inName)));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, header, inSubject)));
    }

    [Theory]
    [MemberData(nameof(ForeignEncodings))]
    public async Task Header_or_payload_in_another_encoding_or_with_a_bom_is_malformed(string encoding)
    {
        using var fixture = new ValidatorFixture();
        var header = Encode(Header, encoding);
        var payload = Encode(fixture.ValidPayload(), encoding);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, header, RawJwt.Utf8(fixture.ValidPayload()))));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.Hs(fixture.HmacKey, RawJwt.Utf8(Header), payload)));
    }

    [Fact]
    public async Task Lone_surrogate_escape_in_a_claim_is_malformed_not_an_exception()
    {
        using var fixture = new ValidatorFixture();
        var inSubject = fixture.ValidPayload().Replace("user-1", "\\ud800", StringComparison.Ordinal);
        var inName = fixture.ValidPayload("\"\\udc00\":1");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, inSubject, headerJson: Header)));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, inName, headerJson: Header)));
    }

    [Theory]
    [InlineData(65, TokenFailureReason.TokenMalformed)]
    [InlineData(200, TokenFailureReason.TokenMalformed)]
    [InlineData(2000, TokenFailureReason.TokenMalformed)]
    [InlineData(10, TokenFailureReason.None)]
    public async Task Deeply_nested_claim_is_refused_without_an_exception(int depth, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();
        var arrays = fixture.ValidPayload($"\"deep\":{new string('[', depth)}{new string(']', depth)}");
        var objects = fixture.ValidPayload($"\"deep\":{string.Concat(Enumerable.Repeat("{\"a\":", depth))}1{new string('}', depth)}");

        Assert.Equal(expected, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, arrays, headerJson: Header)));
        Assert.Equal(expected, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, objects, headerJson: Header)));
    }

    [Theory]
    [InlineData(65, TokenFailureReason.TokenMalformed)]
    [InlineData(1000, TokenFailureReason.TokenMalformed)]
    [InlineData(10, TokenFailureReason.None)]
    public async Task Deeply_nested_header_member_is_refused_without_an_exception(int depth, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();
        var header = $"{{\"alg\":\"HS256\",\"kid\":\"hs\",\"x\":{new string('[', depth)}{new string(']', depth)}}}";

        Assert.Equal(expected, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header)));
    }

    [Fact]
    public async Task Wide_payload_is_read_and_a_duplicate_at_its_end_is_still_found()
    {
        using var fixture = new ValidatorFixture();
        var members = string.Join(',', Enumerable.Range(0, 1000).Select(i => $"\"c{i}\":0"));
        var wide = fixture.ValidPayload(members);
        var wideWithDuplicate = fixture.ValidPayload(members + ",\"c0\":1");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, wide, headerJson: Header)));
        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, wideWithDuplicate, headerJson: Header)));
    }

    [Fact]
    public async Task Wide_header_is_read_and_a_duplicate_at_its_end_is_still_found()
    {
        using var fixture = new ValidatorFixture();
        var members = string.Join(',', Enumerable.Range(0, 300).Select(i => $"\"h{i}\":0"));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $"{{\"alg\":\"HS256\",\"kid\":\"hs\",{members}}}")));
        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $"{{\"alg\":\"HS256\",\"kid\":\"hs\",{members},\"alg\":\"HS256\"}}")));
    }

    [Theory]
    [InlineData("exp")]
    [InlineData("nbf")]
    [InlineData("iat")]
    public async Task Five_thousand_digit_numeric_date_is_a_claim_error(string claim)
    {
        using var fixture = new ValidatorFixture();
        var payload = RawJwt.WithClaim(fixture.ValidPayload(), claim, new string('9', 5000));

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header)));
    }

    [Fact]
    public async Task Five_thousand_digit_numbers_in_other_claims_or_fractions_are_harmless()
    {
        using var fixture = new ValidatorFixture();
        var big = fixture.ValidPayload($"\"n\":{new string('9', 5000)},\"f\":0.{new string('1', 5000)}");
        var longFraction = RawJwt.WithClaim(fixture.ValidPayload(), "exp", $"{ValidatorFixture.Now.ToUnixTimeSeconds() + 300}.{new string('0', 5000)}1");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, big, headerJson: Header)));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, longFraction, headerJson: Header)));
    }

    [Theory]
    [InlineData("{{{{")]
    [InlineData("    ")]
    [InlineData("....")]
    [InlineData("AAAA")]
    [InlineData("\u0000\u0000")]
    public async Task Size_limit_is_checked_before_any_other_rule(string filler)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = string.Concat(Enumerable.Repeat(filler, (fixture.Options.MaxTokenSize / filler.Length) + 1));

        Assert.Equal(TokenFailureReason.TokenTooLarge, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Fact]
    public async Task Validly_signed_token_over_the_limit_is_too_large_and_at_the_limit_is_valid()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header);
        using var atLimit = new ValidatorFixture(o => o.MaxTokenSize = token.Length);
        using var belowLimit = new ValidatorFixture(o => o.MaxTokenSize = token.Length - 1);
        var big = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload($"\"pad\":\"{new string('x', 13000)}\""), headerJson: Header);

        Assert.Equal(TokenFailureReason.None, await atLimit.FailureOf(TestJwt.Hs(atLimit.HmacKey, atLimit.ValidPayload(), headerJson: Header)));
        Assert.Equal(TokenFailureReason.TokenTooLarge, await belowLimit.FailureOf(TestJwt.Hs(belowLimit.HmacKey, belowLimit.ValidPayload(), headerJson: Header)));
        Assert.True(big.Length > 16384);
        Assert.Equal(TokenFailureReason.TokenTooLarge, await fixture.FailureOf(big));
    }

    [Fact]
    public async Task Legal_json_whitespace_and_escapes_still_verify_over_the_received_bytes()
    {
        using var fixture = new ValidatorFixture();
        var seconds = ValidatorFixture.Now.ToUnixTimeSeconds();
        var header = " \r\n\t{ \"\\u0061lg\" :\t\"HS\\u0032\\u00356\" ,\r\n \"kid\" : \"\\u0068s\" , \"typ\":\"\\u004aWT\" }\n ";
        var payload = $"{{\n  \"iss\" : \"https:\\/\\/issuer.test\",\r\n  \"aud\" : [ \"other\" , \"api:\\/\\/test\" ],\t\"sub\":\"\\u0075ser-1\",\n  \"exp\" : {seconds + 300} , \"nbf\":{seconds}.0, \"iat\" : {seconds}e0 ,\"name\":\"Zoë \\\"Z\\\" \\ud83d\\ude00 \\n\",\"emoji\":\"😀\" \n}}";
        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: header);

        var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, result.Failure);
        Assert.Equal("user-1", result.Token!.Subject);
        Assert.Equal("JWT", result.Token.Header.Type);
        Assert.Equal(TestJwt.Issuer, result.Token.Issuer);
    }

    private static byte[] Encode(string json, string encoding) => encoding switch
    {
        "utf-8-bom" => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)],
        "utf-16le" => Encoding.Unicode.GetBytes(json),
        "utf-16le-bom" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(json)],
        "utf-16be" => Encoding.BigEndianUnicode.GetBytes(json),
        "utf-32le" => Encoding.UTF32.GetBytes(json),
        _ => new UTF32Encoding(bigEndian: true, byteOrderMark: false).GetBytes(json),
    };
}

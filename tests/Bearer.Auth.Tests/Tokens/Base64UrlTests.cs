using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 7515 §2 and RFC 8725bis §3.14: every segment is canonical base64url (<c>[A-Za-z0-9_-]</c>, no padding, zero
/// trailing bits) and the token holds nothing else: padding, <c>+</c>/<c>/</c>, whitespace and foreign characters
/// anywhere are refused before decoding, even when the signature covers them.
/// </summary>
public sealed class Base64UrlTests
{
    public static TheoryData<int, string> Insertions
    {
        get
        {
            var data = new TheoryData<int, string>();
            foreach (var segment in new[] { 0, 1, 2 })
            {
                foreach (var insert in new[] { "=", "==", "+", "/", " ", "\t", "\n", "\r\n", "\"", "{", "}", "%", "*", "~", "\\", "é", "\u0000", "\u00a0", "\u2028", ",", ":" })
                {
                    data.Add(segment, insert);
                }
            }

            return data;
        }
    }

    public static TheoryData<string> Wrappings =>
    [
        " {0}", "{0} ", "{0}\n", "{0}\r\n", "\t{0}", "\"{0}\"", "Bearer {0}", "{0}=", "{0}==", "'{0}'", "<{0}>",
    ];

    [Theory]
    [MemberData(nameof(Insertions))]
    public async Task Foreign_character_inside_any_segment_is_malformed_even_when_signed(int segment, string insert)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var parts = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""").Split('.');
        parts[segment] = parts[segment][..4] + insert + parts[segment][4..];

        // Sign over the modified text so only the character rule can refuse it.
        var token = segment == 2
            ? string.Join('.', parts)
            : RawJwt.HsOverSegments(fixture.HmacKey, parts[0], parts[1]);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(Wrappings))]
    public async Task Whitespace_quotes_or_padding_around_the_token_is_malformed(string wrapping)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(string.Format(System.Globalization.CultureInfo.InvariantCulture, wrapping, token)));
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(0, 3)]
    [InlineData(1, 2)]
    [InlineData(1, 3)]
    public async Task Header_or_payload_with_non_zero_trailing_bits_is_malformed_even_when_signed(int segment, int remainder)
    {
        using var fixture = new ValidatorFixture();
        var header = WithEncodedRemainder("""{"alg":"HS256","kid":"hs"}""", remainder);
        var payload = WithEncodedRemainder(fixture.ValidPayload(), remainder);
        string[] parts = [TestJwt.B64(header), TestJwt.B64(payload)];
        Assert.Equal(remainder, parts[segment].Length % 4);
        var canonical = RawJwt.HsOverSegments(fixture.HmacKey, parts[0], parts[1]);
        parts[segment] = SetTrailingBit(parts[segment]);

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(canonical));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.HsOverSegments(fixture.HmacKey, parts[0], parts[1])));
    }

    [Fact]
    public async Task Signature_with_non_zero_trailing_bits_is_malformed()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");
        var parts = token.Split('.');
        Assert.Equal(3, parts[2].Length % 4);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(parts[0] + "." + parts[1] + "." + SetTrailingBit(parts[2])));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Segment_whose_length_leaves_remainder_one_is_malformed(int segment)
    {
        using var fixture = new ValidatorFixture();
        var parts = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""").Split('.');
        while (parts[segment].Length % 4 != 1)
        {
            parts[segment] += "A";
        }

        var token = segment == 2 ? string.Join('.', parts) : RawJwt.HsOverSegments(fixture.HmacKey, parts[0], parts[1]);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Standard_base64_alphabet_signature_is_malformed()
    {
        using var fixture = new ValidatorFixture();
        string token;
        var attempt = 0;
        do
        {
            token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload($"\"jti\":\"{attempt++}\""), headerJson: """{"alg":"HS256","kid":"hs"}""");
        }
        while (!token.Split('.')[2].AsSpan().ContainsAny('-', '_'));
        var parts = token.Split('.');
        var standard = Convert.ToBase64String(RawJwt.Signature(token));

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(parts[0] + "." + parts[1] + "." + standard));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(parts[0] + "." + parts[1] + "." + standard.TrimEnd('=')));
    }

    /// <summary>Pads the JSON with spaces before its closing brace until its base64url length has the given remainder.</summary>
    private static string WithEncodedRemainder(string json, int remainder)
    {
        while (TestJwt.B64(json).Length % 4 != remainder)
        {
            json = json[..^1] + " }";
        }

        return json;
    }

    /// <summary>Sets the lowest (spare) bit of the last character, which canonical base64url leaves zero.</summary>
    private static string SetTrailingBit(string segment)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var sextet = alphabet.IndexOf(segment[^1], StringComparison.Ordinal);
        return segment[..^1] + alphabet[sextet | 1];
    }
}

using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 7518 §3.2 and RFC 8725 §3.1: the full HMAC tag and nothing but it. Truncated, extended, zero and other-hash
/// tags fail; a stripped signature fails (<c>h.p.</c>) or is not a JWS at all (<c>h.p</c>).
/// </summary>
public sealed class HmacSignatureTests
{
    private const string Header = """{"alg":"HS256","kid":"hs","typ":"JWT"}""";

    public static TheoryData<string> BadTags =>
    [
        "truncated-16", "truncated-31", "first-byte-only", "extended-33", "doubled-64", "zero-32", "flipped-bit",
        "hs384-tag", "hs512-tag", "empty",
    ];

    [Theory]
    [MemberData(nameof(BadTags))]
    public async Task Hs256_token_with_a_wrong_tag_is_refused(string recipe)
    {
        using var fixture = new ValidatorFixture();
        var payload = fixture.ValidPayload();
        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header);
        var tag = RawJwt.Signature(token);
        var input = System.Text.Encoding.ASCII.GetBytes(RawJwt.SigningInput(token));
        byte[] bad = recipe switch
        {
            "truncated-16" => tag[..16],
            "truncated-31" => tag[..31],
            "first-byte-only" => tag[..1],
            "extended-33" => [.. tag, 0],
            "doubled-64" => [.. tag, .. tag],
            "zero-32" => new byte[32],
            "flipped-bit" => [.. tag[..^1], (byte)(tag[^1] ^ 1)],
            "hs384-tag" => TestJwt.Hmac("HS384", fixture.HmacKey, input),
            "hs512-tag" => TestJwt.Hmac("HS512", fixture.HmacKey, input),
            _ => [],
        };

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(RawJwt.WithSignature(token, bad)));
    }

    [Fact]
    public async Task Stripped_signature_keeping_the_last_dot_is_signature_invalid()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(RawJwt.SigningInput(token) + "."));
    }

    [Fact]
    public async Task Stripped_signature_and_dot_is_malformed()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header);

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.SigningInput(token)));
    }

    [Fact]
    public async Task Tag_made_with_another_secret_is_refused()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), fixture.ValidPayload(), headerJson: Header);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(token));
    }
}

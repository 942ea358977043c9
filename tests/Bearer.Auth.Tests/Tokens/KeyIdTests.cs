using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>RFC 8725 §3.10: <c>kid</c> is an opaque lookup key. Hostile values fail cleanly and reach the resolver verbatim.</summary>
public sealed class KeyIdTests
{
    public static TheoryData<string> HostileKeyIds =>
    [
        "../../../../etc/passwd", "..\\..\\..\\windows\\win.ini", "/dev/null", "file:///etc/passwd",
        "http://169.254.169.254/latest/meta-data/", "' OR '1'='1", "hs' --", "1; DROP TABLE keys; --", "$(id)", "`id`",
        "hs\u0000", "\u0000", "a\u0000b", "", " hs", "hs ", "HS", "hs\n", "%68%73", "h\u0073\u200b", new string('k', 4096),
    ];

    public static TheoryData<string> NonStringKeyIds => ["1", "null", "true", "[]", "{}", "[\"hs\"]", "{\"kid\":\"hs\"}"];

    [Theory]
    [MemberData(nameof(HostileKeyIds))]
    public async Task Hostile_kid_finds_no_key(string kid)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":{{JsonSerializer.Serialize(kid)}}}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
    }

    [Theory]
    [MemberData(nameof(HostileKeyIds))]
    public async Task Hostile_kid_reaches_the_resolver_verbatim(string kid)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":{{JsonSerializer.Serialize(kid)}}}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
        Assert.Equal(kid, Assert.Single(SubstituteResolver.Calls(resolver)).Header.KeyId);
    }

    [Theory]
    [MemberData(nameof(NonStringKeyIds))]
    public async Task Non_string_kid_is_malformed_and_never_reaches_the_resolver(string kidJson)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":{{kidJson}}}""");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [InlineData("\\ud800")]
    [InlineData("\\udc00")]
    [InlineData("hs\\ud800x")]
    public async Task Kid_with_a_lone_surrogate_escape_is_malformed_not_an_exception(string escapedKid)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":"{{escapedKid}}"}""");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Escaped_spelling_of_a_configured_kid_finds_that_key()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"\u0068s"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Unknown_kid_does_not_fall_back_to_other_keys_of_the_same_algorithm()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"unknown"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
    }
}

using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.11/§3.12: <c>typ</c> is checked against an allow-list (case-insensitive, optional <c>application/</c>
/// prefix) before key lookup, so an ID token, logout token, security event or DPoP proof is never an access token.
/// </summary>
public sealed class TypeTests
{
    public static TheoryData<string> AcceptedByDefault =>
    [
        "JWT", "jwt", "Jwt", "application/jwt", "APPLICATION/JWT", "at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt",
    ];

    public static TheoryData<string> RefusedByDefault =>
    [
        "secevent+jwt", "application/secevent+jwt", "logout+jwt", "dpop+jwt", "id_token+jwt", "JOSE", "JOSE+JSON", "jwt+at",
        "", " JWT", "JWT ", "application/", "application/ JWT", "text/jwt", "applicationJWT", "at+jwt\u0000", "ａｔ+jwt",
        "application/application/jwt", new string('x', 4000), "JWT" + new string(' ', 300),
    ];

    [Theory]
    [MemberData(nameof(AcceptedByDefault))]
    public async Task Default_types_are_accepted_case_insensitively_with_or_without_prefix(string type)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, type)));
    }

    [Theory]
    [MemberData(nameof(RefusedByDefault))]
    public async Task Other_token_types_are_refused_before_key_lookup(string type)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(TokenFailureReason.TypeInvalid, await fixture.FailureOf(Hs(fixture, type)));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("1")]
    [InlineData("[\"JWT\"]")]
    [InlineData("{}")]
    [InlineData("true")]
    public async Task Non_string_typ_is_malformed(string rawType)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":"hs","typ":{{rawType}}}""");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Escaped_spelling_of_an_allowed_type_is_that_type()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs","typ":"at\u002Bjwt"}""");

        var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, result.Failure);
        Assert.Equal("at+jwt", result.Token!.Header.Type);
    }

    [Fact]
    public async Task Missing_type_is_refused_when_AllowMissingType_is_off()
    {
        using var fixture = new ValidatorFixture(o => o.AllowMissingType = false);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.TypeInvalid, await fixture.FailureOf(token));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, "JWT")));
    }

    [Theory]
    [InlineData("at+jwt", TokenFailureReason.None)]
    [InlineData("application/at+jwt", TokenFailureReason.None)]
    [InlineData("JWT", TokenFailureReason.TypeInvalid)]
    [InlineData(null, TokenFailureReason.TypeInvalid)]
    public async Task Rfc9068_profile_requires_at_jwt(string? type, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture(Rfc9068Profile);
        var token = type is null
            ? TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""")
            : Hs(fixture, type);

        Assert.Equal(expected, await fixture.FailureOf(token));
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData(null)]
    public async Task Validly_signed_id_token_is_not_an_access_token_under_the_rfc9068_profile(string? type)
    {
        using var fixture = new ValidatorFixture(Rfc9068Profile);
        var payload = fixture.ValidPayload("\"nonce\":\"n-1\",\"auth_time\":1780000000,\"azp\":\"client\"");
        var header = type is null ? """{"alg":"RS256","kid":"rs"}""" : $$"""{"alg":"RS256","kid":"rs","typ":"{{type}}"}""";

        Assert.Equal(TokenFailureReason.TypeInvalid, await fixture.FailureOf(TestJwt.Rs(fixture.Rsa, payload, headerJson: header)));
    }

    [Fact]
    public async Task Validly_signed_dpop_proof_is_not_an_access_token()
    {
        using var fixture = new ValidatorFixture();
        var proof = TestJwt.Es(fixture.Ecdsa, fixture.ValidPayload("\"htm\":\"GET\",\"htu\":\"https://api.test/\""), headerJson: """{"alg":"ES256","kid":"es","typ":"dpop+jwt"}""");

        Assert.Equal(TokenFailureReason.TypeInvalid, await fixture.FailureOf(proof));
    }

    /// <summary>The RFC 9068 access-token profile: <c>typ</c> must be <c>at+jwt</c>.</summary>
    private static void Rfc9068Profile(BearerJwtOptions options)
    {
        options.ValidTypes.Clear();
        options.ValidTypes.Add("at+jwt");
        options.AllowMissingType = false;
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"iss":"a","iss":"b"}""")]
    public async Task A_refused_type_is_the_reason_even_when_the_payload_is_also_bad(string payload)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs","typ":"dpop+jwt"}""");

        Assert.Equal(TokenFailureReason.TypeInvalid, await fixture.FailureOf(token));
    }

    private static string Hs(ValidatorFixture fixture, string type) =>
        TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","kid":"hs","typ":{{JsonSerializer.Serialize(type)}}}""");
}

using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>RFC 8725 §3.1/§3.2: the algorithm allow-list is applied before any key lookup, and <c>none</c> never passes.</summary>
public sealed class AlgorithmAllowListTests
{
    public static TheoryData<string> RefusedAlgorithms =>
    [
        "none", "None", "NONE", "nOnE", " none", "none ", "", "rs256", "hs256", "Hs256", "HS256 ", " RS256", "RS257",
        "HS1", "ES256K", "EdDSA", "RSA-OAEP", "dir", "A128KW", "HS256\u0000", "ＨＳ256",
    ];

    public static TheoryData<string> NonStringAlgorithms => ["null", "256", "true", "[\"HS256\"]", "{\"alg\":\"HS256\"}"];

    [Theory]
    [MemberData(nameof(RefusedAlgorithms))]
    public async Task Token_with_alg_none_casing_variants_or_unknown_alg_is_refused_before_key_lookup(string alg)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var header = $$"""{"alg":{{System.Text.Json.JsonSerializer.Serialize(alg)}},"typ":"JWT"}""";
        var signed = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header);
        var unsigned = TestJwt.B64(header) + "." + TestJwt.B64(fixture.ValidPayload()) + ".";

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(signed));
        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(unsigned));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"iss":"a","iss":"b"}""")]
    [InlineData("""{"exp":"tomorrow"}""")]
    public async Task A_refused_alg_is_the_reason_even_when_the_payload_is_also_bad(string payload)
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.B64("""{"alg":"none","typ":"JWT"}""") + "." + TestJwt.B64(payload) + ".";

        // The header is judged before the payload is read, so the reason names the forged alg, not the payload.
        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Rfc7515_a5_unsecured_jws_is_refused()
    {
        using var fixture = new ValidatorFixture(o => o.ValidateAudience = false);
        const string token = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.";

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Token_without_alg_is_refused_before_key_lookup()
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"kid":"hs","typ":"JWT"}""");

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(NonStringAlgorithms))]
    public async Task Token_whose_alg_is_not_a_string_is_malformed_and_never_reaches_key_lookup(string algJson)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":{{algJson}},"kid":"hs"}""");

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Fact]
    public async Task Supported_algorithm_left_out_of_ValidAlgorithms_is_refused_even_with_a_valid_signature()
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o =>
        {
            o.ValidAlgorithms.Clear();
            o.ValidAlgorithms.Add(JwsAlgorithms.RS256);
            o.KeyResolver = resolver;
        });
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.AlgorithmNotAllowed, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Fact]
    public void ValidAlgorithms_entries_are_matched_ordinally_so_a_lowercase_entry_is_refused_at_creation()
    {
        var error = Assert.Throws<ArgumentException>(() => new ValidatorFixture(o =>
        {
            o.ValidAlgorithms.Clear();
            o.ValidAlgorithms.Add("hs256");
        }));

        Assert.Contains("ValidAlgorithms", error.Message, StringComparison.Ordinal);
        Assert.Contains("'hs256'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resolver_sees_the_interned_algorithm_named_by_the_header()
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), "HS384", """{"alg":"HS\u003384","kid":"x"}""");

        Assert.Equal(TokenFailureReason.KeyNotFound, await fixture.FailureOf(token));
        var call = Assert.Single(SubstituteResolver.Calls(resolver));
        Assert.Same(JwsAlgorithms.HS384, call.Header.Algorithm);
        Assert.Equal("x", call.Header.KeyId);
        Assert.Equal(TestJwt.Issuer, call.Issuer);
    }
}

using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.3: only a JWS compact serialization with three non-empty-header segments is processed. JWE (five
/// segments or <c>enc</c>), JWS JSON serialization and nested JWTs each have their own reason; <c>zip</c>, <c>b64</c>
/// and any <c>crit</c> make the token unprocessable.
/// </summary>
public sealed class StructureTests
{
    private const string JweCompact =
        "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6US04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZodetZdvTiFvSkQ";

    public static TheoryData<string, TokenFailureReason> Shapes => new()
    {
        { "", TokenFailureReason.TokenMalformed },
        { ".", TokenFailureReason.TokenMalformed },
        { "..", TokenFailureReason.TokenMalformed },
        { "...", TokenFailureReason.TokenMalformed },
        { "....", TokenFailureReason.TokenEncrypted },
        { ".....", TokenFailureReason.TokenMalformed },
        { "a", TokenFailureReason.TokenMalformed },
        { "a.b", TokenFailureReason.TokenMalformed },
        { "a.b.c.d", TokenFailureReason.TokenMalformed },
        { "a.b.c.d.e", TokenFailureReason.TokenEncrypted },
        { "a.b.c.d.e.f", TokenFailureReason.TokenMalformed },
        { JweCompact, TokenFailureReason.TokenEncrypted },
        { """{"payload":"eyJzdWIiOiJ4In0","signatures":[{"protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AAAA"}]}""", TokenFailureReason.TokenJsonSerialization },
        { """{"payload":"eyJzdWIiOiJ4In0","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AAAA"}""", TokenFailureReason.TokenJsonSerialization },
        { "{}", TokenFailureReason.TokenJsonSerialization },
    };

    public static TheoryData<string, TokenFailureReason> Headers => new()
    {
        { """{"alg":"HS256","kid":"hs","cty":"JWT"}""", TokenFailureReason.TokenNested },
        { """{"alg":"HS256","kid":"hs","cty":"jwt"}""", TokenFailureReason.TokenNested },
        { """{"alg":"HS256","kid":"hs","cty":"application/jwt"}""", TokenFailureReason.TokenNested },
        { """{"alg":"HS256","kid":"hs","cty":"Application/JWT"}""", TokenFailureReason.TokenNested },
        // Every character escaped: 90 bytes on the wire, "application/JWT" once read.
        { """{"alg":"HS256","kid":"hs","cty":"\u0061\u0070\u0070\u006c\u0069\u0063\u0061\u0074\u0069\u006f\u006e\u002f\u004a\u0057\u0054"}""", TokenFailureReason.TokenNested },
        { """{"alg":"HS256","kid":"hs","enc":"A256GCM"}""", TokenFailureReason.TokenEncrypted },
        { """{"alg":"RSA-OAEP","enc":"A256GCM"}""", TokenFailureReason.TokenEncrypted },
        { """{"alg":"HS256","kid":"hs","zip":"DEF"}""", TokenFailureReason.HeaderUnsupported },
        { """{"alg":"HS256","kid":"hs","b64":false}""", TokenFailureReason.HeaderUnsupported },
        { """{"alg":"HS256","kid":"hs","b64":true}""", TokenFailureReason.HeaderUnsupported },
        { """{"alg":"HS256","kid":"hs","b64":false,"crit":["b64"]}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":[]}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":["exp"],"exp":1}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":["x-ext"],"x-ext":1}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":["x-ext"]}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":"x-ext","x-ext":1}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":null}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":[1]}""", TokenFailureReason.CritUnsupported },
        { """{"alg":"HS256","kid":"hs","crit":["alg"]}""", TokenFailureReason.CritUnsupported },
        { """[{"alg":"HS256","kid":"hs"}]""", TokenFailureReason.TokenMalformed },
        { "\"HS256\"", TokenFailureReason.TokenMalformed },
        { "null", TokenFailureReason.TokenMalformed },
        { "1", TokenFailureReason.TokenMalformed },
        { "", TokenFailureReason.TokenMalformed },
        { " ", TokenFailureReason.TokenMalformed },
        { """{"alg":"HS256","kid":"hs"}x""", TokenFailureReason.TokenMalformed },
        { """{"alg":"HS256","kid":"hs"}{}""", TokenFailureReason.TokenMalformed },
        { """{"alg":"HS256","kid":"hs"}""" + "\u0000", TokenFailureReason.TokenMalformed },
        { "{\"alg\":\"HS256\",\"kid\":\"hs\"", TokenFailureReason.TokenMalformed },
        { """{"alg":"HS256","kid":"hs",}""", TokenFailureReason.TokenMalformed },
        { """{"alg":"HS256","kid":"hs"/**/}""", TokenFailureReason.TokenMalformed },
        { """{'alg':'HS256'}""", TokenFailureReason.TokenMalformed },
        { """{alg:"HS256"}""", TokenFailureReason.TokenMalformed },
    };

    public static TheoryData<string> NonObjectPayloads =>
        ["[]", "\"sub\"", "1", "null", "true", "It’s a dangerous business", "{\"sub\":\"x\"", "{\"sub\":\"x\"}x", "{\"sub\":\"x\",}", "{} {}"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Token_shape_other_than_three_segments_is_refused_with_its_own_reason(string token, TokenFailureReason expected)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);

        Assert.Equal(expected, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public async Task Header_that_changes_processing_or_is_not_a_json_object_is_refused(string header, TokenFailureReason expected)
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: header);

        Assert.Equal(expected, await fixture.FailureOf(token));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Theory]
    [MemberData(nameof(NonObjectPayloads))]
    public async Task Payload_that_is_not_a_json_object_is_malformed(string payload)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""")));
    }

    [Fact]
    public async Task Empty_header_or_payload_segment_is_malformed()
    {
        using var fixture = new ValidatorFixture();
        var parts = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""").Split('.');

        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf("." + parts[1] + "." + parts[2]));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.HsOverSegments(fixture.HmacKey, "", parts[1])));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(RawJwt.HsOverSegments(fixture.HmacKey, parts[0], "")));
    }

    [Fact]
    public async Task Nested_jwt_is_refused_even_when_the_outer_signature_is_valid()
    {
        using var fixture = new ValidatorFixture();
        var inner = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs"}""");
        var outer = RawJwt.HsOverSegments(fixture.HmacKey, TestJwt.B64("""{"alg":"HS256","kid":"hs","cty":"JWT"}"""), TestJwt.B64(inner));

        Assert.Equal(TokenFailureReason.TokenNested, await fixture.FailureOf(outer));
    }

    [Fact]
    public async Task Other_content_types_do_not_change_processing()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs","cty":"json"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Rfc7797_unencoded_payload_token_is_refused()
    {
        using var fixture = new ValidatorFixture();
        var header = TestJwt.B64("""{"alg":"HS256","kid":"hs","b64":false,"crit":["b64"]}""");
        var token = RawJwt.HsOverSegments(fixture.HmacKey, header, "e30");

        Assert.Equal(TokenFailureReason.CritUnsupported, await fixture.FailureOf(token));
    }
}

using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 8725 §3.8/§3.9: <c>iss</c> matches a configured issuer exactly (ordinal, no trimming or folding) and the
/// verifying key belongs to that issuer; <c>aud</c> (string or array) contains a configured audience exactly.
/// </summary>
public sealed class IssuerAudienceTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    public static TheoryData<string> IssuerNearMisses =>
    [
        "HTTPS://issuer.test", "https://ISSUER.test", "https://issuer.test/", "https://issuer.tes", "https://issuer.test.evil",
        "https://issuer.test ", " https://issuer.test", "https://issuer.test\n", "http://issuer.test", "https://issuer.test?x", "https://issuer.test#",
        "https://issuer.test\u0000", "https://issuer.teſt", "https://іssuer.test", "",
    ];

    public static TheoryData<string> AudienceNearMisses =>
    [
        "\"API://test\"", "\"api://test/\"", "\"api://tes\"", "\"api://test2\"", "\"api://test \"", "\"\"", "[]", "[\"api://TEST\",\"other\"]",
        "[\"api://test/\"]",
    ];

    public static TheoryData<string> IssuerWrongTypes => ["null", "[\"https://issuer.test\"]", "1", "true", "{\"iss\":\"https://issuer.test\"}"];

    public static TheoryData<string> AudienceWrongTypes => ["null", "1", "true", "{}", "[\"api://test\",1]", "[null]", "[[\"api://test\"]]"];

    [Theory]
    [MemberData(nameof(IssuerNearMisses))]
    public async Task Issuer_near_miss_is_refused(string issuer)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.IssuerInvalid, await fixture.FailureOf(Hs(fixture, TestJwt.Payload(ValidatorFixture.Now, issuer: issuer.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\u0000", "\\u0000", StringComparison.Ordinal)))));
    }

    [Theory]
    [MemberData(nameof(IssuerWrongTypes))]
    public async Task Issuer_of_the_wrong_type_is_a_claim_error(string rawIssuer)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(Hs(fixture, RawJwt.WithClaim(fixture.ValidPayload(), "iss", rawIssuer))));
    }

    [Fact]
    public async Task Missing_issuer_is_refused_before_key_lookup()
    {
        var resolver = SubstituteResolver.Returning(KeyResolution.NotFound);
        using var fixture = new ValidatorFixture(o => o.KeyResolver = resolver);
        var payload = fixture.ValidPayload().Replace($"\"iss\":\"{TestJwt.Issuer}\",", string.Empty, StringComparison.Ordinal);

        Assert.Equal(TokenFailureReason.IssuerInvalid, await fixture.FailureOf(Hs(fixture, payload)));
        Assert.Empty(SubstituteResolver.Calls(resolver));
    }

    [Fact]
    public async Task Issuer_check_can_be_turned_off_explicitly()
    {
        using var fixture = new ValidatorFixture(o => o.ValidateIssuer = false);

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://anyone.test"))));
    }

    [Theory]
    [MemberData(nameof(AudienceNearMisses))]
    public async Task Audience_near_miss_is_refused(string rawAudience)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.AudienceInvalid, await fixture.FailureOf(Hs(fixture, RawJwt.WithClaim(fixture.ValidPayload(), "aud", rawAudience))));
    }

    [Theory]
    [MemberData(nameof(AudienceWrongTypes))]
    public async Task Audience_of_the_wrong_type_is_a_claim_error(string rawAudience)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(Hs(fixture, RawJwt.WithClaim(fixture.ValidPayload(), "aud", rawAudience))));
    }

    [Theory]
    [InlineData("\"api://test\"")]
    [InlineData("[\"api://test\"]")]
    [InlineData("[\"other\",\"api://test\"]")]
    [InlineData("[\"api:\\/\\/test\"]")]
    public async Task Audience_as_string_or_array_containing_the_configured_value_is_valid(string rawAudience)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, RawJwt.WithClaim(fixture.ValidPayload(), "aud", rawAudience))));
    }

    [Fact]
    public async Task Missing_audience_is_refused_when_audiences_are_configured()
    {
        using var fixture = new ValidatorFixture();
        using var unchecked_ = new ValidatorFixture(o => o.ValidateAudience = false);
        var payload = fixture.ValidPayload().Replace($"\"aud\":\"{TestJwt.Audience}\",", string.Empty, StringComparison.Ordinal);

        Assert.Equal(TokenFailureReason.AudienceInvalid, await fixture.FailureOf(Hs(fixture, payload)));
        Assert.Equal(TokenFailureReason.None, await unchecked_.FailureOf(Hs(unchecked_, payload)));
    }

    [Fact]
    public async Task Issuer_bound_key_never_validates_a_token_of_another_issuer()
    {
        var secretA = RandomNumberGenerator.GetBytes(32);
        var secretB = RandomNumberGenerator.GetBytes(32);
        var keyA = VerificationKey.Symmetric(secretA, keyId: "shared", issuer: "https://a.test");
        var keyB = VerificationKey.Symmetric(secretB, keyId: "shared", issuer: "https://b.test");
        var keyBOnly = VerificationKey.Symmetric(secretB, keyId: "b-only", issuer: "https://b.test");
        using var fixture = new ValidatorFixture(o =>
        {
            o.ValidIssuer = null;
            o.ValidIssuers.Add("https://a.test");
            o.ValidIssuers.Add("https://b.test");
            o.VerificationKeys.Clear();
            o.VerificationKeys.Add(keyA);
            o.VerificationKeys.Add(keyB);
            o.VerificationKeys.Add(keyBOnly);
        });
        using var careless = new ValidatorFixture(o =>
        {
            o.ValidIssuers.Add("https://a.test");
            o.KeyResolver = SubstituteResolver.Returning(keyB);
        });
        var fromA = TestJwt.Payload(ValidatorFixture.Now, issuer: "https://a.test");
        var fromB = TestJwt.Payload(ValidatorFixture.Now, issuer: "https://b.test");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(secretB, fromB, headerJson: """{"alg":"HS256","kid":"shared"}""")));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(secretA, fromA, headerJson: """{"alg":"HS256","kid":"shared"}""")));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(TestJwt.Hs(secretB, fromA, headerJson: """{"alg":"HS256","kid":"shared"}""")));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(TestJwt.Hs(secretB, fromA, headerJson: """{"alg":"HS256"}""")));
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await fixture.FailureOf(TestJwt.Hs(secretB, fromA, headerJson: """{"alg":"HS256","kid":"b-only"}""")));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await careless.FailureOf(TestJwt.Hs(secretB, fromA, headerJson: """{"alg":"HS256","kid":"shared"}""")));
    }

    [Fact]
    public async Task Key_bound_to_an_unlisted_issuer_vouches_for_that_issuer_only()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        using var fixture = new ValidatorFixture(o => o.VerificationKeys.Add(VerificationKey.Symmetric(secret, keyId: "c", issuer: "https://c.test")));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(secret, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://c.test"), headerJson: """{"alg":"HS256","kid":"c"}""")));
        Assert.Equal(TokenFailureReason.IssuerInvalid, await fixture.FailureOf(TestJwt.Hs(secret, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://d.test"), headerJson: """{"alg":"HS256","kid":"c"}""")));

        // c.test brought its own key, so the general-purpose keys are not candidates for it at all.
        Assert.Equal(TokenFailureReason.KeyIssuerMismatch, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://c.test"), headerJson: Header)));
    }

    private static string Hs(ValidatorFixture fixture, string payload) => TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header);
}

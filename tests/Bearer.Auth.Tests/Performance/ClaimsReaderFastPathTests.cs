using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Performance;

/// <summary>
/// The claims reader matches plain registered names on raw bytes and escaped ones by unescaping: both spellings must
/// be read the same way.
/// </summary>
public sealed class ClaimsReaderFastPathTests
{
    [Theory]
    [InlineData("exp")]
    [InlineData("\\u0065xp")]
    [InlineData("nbf")]
    [InlineData("n\\u0062f")]
    [InlineData("iat")]
    [InlineData("\\u0069at")]
    public async Task A_time_claim_that_is_not_a_number_is_refused_however_its_name_is_spelled(string name)
    {
        using var fixture = new ValidatorFixture();
        var now = ValidatorFixture.Now.ToUnixTimeSeconds();
        var payload = "{\"iss\":\"" + TestJwt.Issuer + "\",\"aud\":\"" + TestJwt.Audience + "\",\"sub\":\"u\",\"exp\":" + (now + 300)
            + (name.StartsWith("exp", StringComparison.Ordinal) || name.EndsWith("xp", StringComparison.Ordinal) ? string.Empty : ",\"" + name + "\":\"soon\"")
            + "}";
        if (name.EndsWith("xp", StringComparison.Ordinal))
        {
            payload = "{\"iss\":\"" + TestJwt.Issuer + "\",\"aud\":\"" + TestJwt.Audience + "\",\"sub\":\"u\",\"" + name + "\":\"soon\"}";
        }

        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(token));
    }

    [Theory]
    [InlineData("aud", TokenFailureReason.None)]
    [InlineData("\\u0061ud", TokenFailureReason.None)]
    [InlineData("audience", TokenFailureReason.AudienceInvalid)]
    public async Task The_audience_is_found_under_either_spelling_and_only_under_its_name(string name, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();
        var now = ValidatorFixture.Now.ToUnixTimeSeconds();
        var payload = "{\"iss\":\"" + TestJwt.Issuer + "\",\"" + name + "\":\"" + TestJwt.Audience + "\",\"sub\":\"u\",\"exp\":" + (now + 300) + "}";
        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(expected, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task A_plain_and_an_escaped_spelling_of_the_same_claim_are_duplicates()
    {
        using var fixture = new ValidatorFixture();
        var now = ValidatorFixture.Now.ToUnixTimeSeconds();
        var payload = "{\"iss\":\"" + TestJwt.Issuer + "\",\"aud\":\"" + TestJwt.Audience + "\",\"exp\":" + (now + 300) + ",\"\\u0065xp\":" + (now + 9000) + "}";
        var token = TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""");

        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(token));
    }
}

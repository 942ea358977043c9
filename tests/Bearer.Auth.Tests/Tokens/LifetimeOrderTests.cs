using System.Globalization;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 7519 §4.1.4/§4.1.5: a token is valid from <c>nbf</c> until <c>exp</c>, so one whose <c>nbf</c> is after its
/// <c>exp</c> is never valid, and the clock skew (there for clocks that differ) must not make it valid for a while.
/// Found by the differential tests: IdentityModel refuses it (IDX10224), we accepted it while both instants were within
/// the skew of now. Judged before the clock, so the reason is the same before, within and after that window.
/// </summary>
public sealed class LifetimeOrderTests
{
    private static readonly long Now = ValidatorFixture.Now.ToUnixTimeSeconds();

    [Theory]
    [InlineData(20, 10)]
    [InlineData(29, -29)]
    [InlineData(0.5, 0.25)]
    [InlineData(-3600, -7200)]
    [InlineData(7200, 3600)]
    public async Task Not_before_after_expiry_is_a_claim_error_whenever_it_is_presented(double notBefore, double expires)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(Hs(fixture, notBefore, expires)));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(-10, 10)]
    public async Task Not_before_at_or_before_expiry_is_judged_by_the_clock(double notBefore, double expires)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, notBefore, expires)));
    }

    private static string Hs(ValidatorFixture fixture, double notBefore, double expires)
    {
        var payload = RawJwt.WithClaim(TestJwt.Payload(ValidatorFixture.Now), "nbf", (Now + notBefore).ToString(CultureInfo.InvariantCulture));
        payload = RawJwt.WithClaim(payload, "exp", (Now + expires).ToString(CultureInfo.InvariantCulture));
        return TestJwt.Hs(fixture.HmacKey, payload, headerJson: """{"alg":"HS256","kid":"hs"}""");
    }
}

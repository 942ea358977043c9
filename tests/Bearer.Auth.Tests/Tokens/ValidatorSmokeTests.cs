using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

public sealed class ValidatorSmokeTests
{
    [Fact]
    public async Task Hs256_token_with_typical_claims_is_valid()
    {
        using var fixture = new ValidatorFixture();
        var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"hs","typ":"JWT"}""");

        var result = await fixture.Validator.ValidateAsync(token, TestContext.Current.CancellationToken);

        Assert.Equal(TokenFailureReason.None, result.Failure);
        Assert.Equal("user-1", result.Token!.Subject);
        Assert.Same(TestJwt.Issuer, result.Token.Issuer);
    }

    [Fact]
    public async Task Rs256_and_Es256_tokens_are_valid()
    {
        using var fixture = new ValidatorFixture();
        var rs = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), headerJson: """{"alg":"RS256","kid":"rs"}""");
        var es = TestJwt.Es(fixture.Ecdsa, fixture.ValidPayload(), headerJson: """{"alg":"ES256","kid":"es"}""");

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(rs));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(es));
    }
}

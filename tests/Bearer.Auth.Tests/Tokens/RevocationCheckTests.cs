using Bearer.Auth.Tests.Support;
using NSubstitute;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>The revocation check runs last, only for tokens that passed every other rule, and its verdict is <c>token_revoked</c>.</summary>
public sealed class RevocationCheckTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    public static TheoryData<string, TokenFailureReason> FailingEarlier => new()
    {
        { "expired", TokenFailureReason.TokenExpired },
        { "bad-signature", TokenFailureReason.SignatureInvalid },
        { "wrong-audience", TokenFailureReason.AudienceInvalid },
        { "wrong-issuer", TokenFailureReason.IssuerInvalid },
        { "unknown-kid", TokenFailureReason.KeyNotFound },
        { "malformed", TokenFailureReason.TokenMalformed },
        { "alg-none", TokenFailureReason.AlgorithmNotAllowed },
    };

    [Fact]
    public async Task Revoked_token_is_refused_as_token_revoked()
    {
        var check = Check(revoked: true);
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);

        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload("\"jti\":\"t-1\""), headerJson: Header)));
        var call = Assert.Single(check.ReceivedCalls());
        var token = Assert.IsType<ValidatedToken>(call.GetArguments()[0]);
        Assert.Equal("t-1", token.TokenId);
        Assert.Equal("user-1", token.Subject);
    }

    [Fact]
    public async Task Claims_a_check_reads_on_every_request_read_the_same_whether_present_or_absent_every_time()
    {
        using var fixture = new ValidatorFixture();
        var without = (await fixture.Validator.ValidateAsync(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header), TestContext.Current.CancellationToken)).Token!;
        var with = (await fixture.Validator.ValidateAsync(
            TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload("\"jti\":\"t-2\",\"sid\":\"s-2\""), headerJson: Header), TestContext.Current.CancellationToken)).Token!;

        // Absence is kept as well as a value (a sentinel inside): it must never leak out, on the first read or later.
        for (var read = 0; read < 3; read++)
        {
            Assert.Null(without.SessionId);
            Assert.Null(without.TokenId);
            Assert.Equal("user-1", without.Subject);
            Assert.Equal("s-2", with.SessionId);
            Assert.Equal("t-2", with.TokenId);
        }
    }

    [Fact]
    public async Task Token_not_revoked_is_valid()
    {
        var check = Check(revoked: false);
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header)));
        Assert.Single(check.ReceivedCalls());
    }

    [Fact]
    public async Task Asynchronous_revocation_verdict_is_honoured()
    {
        var check = Substitute.For<ITokenRevocationCheck>();
#pragma warning disable CA2012, xUnit1051 // configuring the substitute, not calling it
        check.CheckAsync(Arg.Any<ValidatedToken>(), Arg.Any<CancellationToken>()).Returns(_ => new ValueTask<TokenRevocationStatus>(Task.Run(() => TokenRevocationStatus.Revoked)));
#pragma warning restore CA2012, xUnit1051
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);

        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header)));
    }

    [Fact]
    public async Task A_check_that_cannot_tell_refuses_with_revocation_unavailable_not_revoked()
    {
        var check = Check(TokenRevocationStatus.Unavailable);
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);

        Assert.Equal(TokenFailureReason.RevocationUnavailable, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header)));
    }

    [Fact]
    public async Task A_status_the_check_invents_refuses_the_token_as_revoked()
    {
        var check = Check((TokenRevocationStatus)42);
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);

        Assert.Equal(TokenFailureReason.TokenRevoked, await fixture.FailureOf(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: Header)));
    }

    [Theory]
    [MemberData(nameof(FailingEarlier))]
    public async Task Revocation_is_not_consulted_for_a_token_failing_another_rule(string recipe, TokenFailureReason expected)
    {
        var check = Check(revoked: true);
        using var fixture = new ValidatorFixture(o => o.RevocationCheck = check);
        var token = recipe switch
        {
            "expired" => TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now.AddHours(-2)), headerJson: Header),
            "bad-signature" => TestJwt.Hs(new byte[32], fixture.ValidPayload(), headerJson: Header),
            "wrong-audience" => TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now, audience: "api://other"), headerJson: Header),
            "wrong-issuer" => TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now, issuer: "https://other.test"), headerJson: Header),
            "unknown-kid" => TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: """{"alg":"HS256","kid":"nope"}"""),
            "malformed" => "not a token",
            _ => TestJwt.B64("""{"alg":"none"}""") + "." + TestJwt.B64(fixture.ValidPayload()) + ".",
        };

        Assert.Equal(expected, await fixture.FailureOf(token));
        Assert.Empty(check.ReceivedCalls());
    }

    private static ITokenRevocationCheck Check(bool revoked) => Check(revoked ? TokenRevocationStatus.Revoked : TokenRevocationStatus.NotRevoked);

    private static ITokenRevocationCheck Check(TokenRevocationStatus status)
    {
        var check = Substitute.For<ITokenRevocationCheck>();
#pragma warning disable CA2012, xUnit1051 // configuring the substitute, not calling it
        check.CheckAsync(Arg.Any<ValidatedToken>(), Arg.Any<CancellationToken>()).Returns(ValueTask.FromResult(status));
#pragma warning restore CA2012, xUnit1051
        return check;
    }
}

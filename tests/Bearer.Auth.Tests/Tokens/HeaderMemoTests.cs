using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// The validator reuses the parsed header of a token that passed when a later token carries the exact same header
/// text (<see cref="JwsHeaderMemo"/>). It must change nothing but speed: every outcome equals a fresh validator's.
/// </summary>
public sealed class HeaderMemoTests
{
    private const string HsHeader = """{"alg":"HS256","typ":"JWT","kid":"hs"}""";

    [Fact]
    public async Task A_header_is_remembered_only_once_its_token_has_passed()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        var valid = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: HsHeader);
        var headerText = valid[..valid.IndexOf('.')];
        var forged = Forge(valid);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(forged));
        Assert.False(fixture.Validator.Headers.TryGet(headerText, out _));

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(valid));
        Assert.True(fixture.Validator.Headers.TryGet(headerText, out var remembered));
        Assert.Equal(("HS256", "hs", "JWT"), (remembered.ToJwsHeader().Algorithm, remembered.KeyId, remembered.Type));
    }

    [Fact]
    public async Task A_remembered_header_vouches_for_nothing_else_in_the_token()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        await Prime(fixture);

        var expired = TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now.AddHours(-1)), headerJson: HsHeader);
        var otherAudience = TestJwt.Hs(fixture.HmacKey, TestJwt.Payload(ValidatorFixture.Now, audience: "api://other"), headerJson: HsHeader);
        var duplicateClaim = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload("\"sub\":\"again\""), headerJson: HsHeader);
        var notJson = TestJwt.Hs(fixture.HmacKey, "not json", headerJson: HsHeader);
        var signedByAnotherKey = TestJwt.Hs(new byte[32], fixture.ValidPayload(), headerJson: HsHeader);

        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(Forge(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: HsHeader))));
        Assert.Equal(TokenFailureReason.SignatureInvalid, await fixture.FailureOf(signedByAnotherKey));
        Assert.Equal(TokenFailureReason.TokenExpired, await fixture.FailureOf(expired));
        Assert.Equal(TokenFailureReason.AudienceInvalid, await fixture.FailureOf(otherAudience));
        Assert.Equal(TokenFailureReason.MemberDuplicate, await fixture.FailureOf(duplicateClaim));
        Assert.Equal(TokenFailureReason.TokenMalformed, await fixture.FailureOf(notJson));
    }

    public static TheoryData<string> OtherHeaders => new()
    {
        """{"alg":"none","typ":"JWT","kid":"hs"}""",
        """{"alg":"HS512","typ":"JWT","kid":"hs"}""",
        """{"alg":"RS256","typ":"JWT","kid":"hs"}""",
        """{"alg":"HS256","typ":"JWT","kid":"rs"}""",
        """{"alg":"HS256","typ":"JWT","kid":"unknown"}""",
        """{"alg":"HS256","typ":"at+jwt","kid":"hs"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","crit":["exp"]}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","cty":"JWT"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","alg":"HS256"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","b64":false}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","zip":"DEF"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","enc":"A128GCM"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs"} """,
        """{"alg":"HS256","typ":"JWT","kid":"hs" }""",
        """{"alg":"HS256","typ":"JWT","kid":"h\u0073"}""",
        """{"alg":"HS256","typ":"JWT"}""",
        """{"alg":"HS256","typ":"JWT","kid":"hs","jwk":{}}""",
    };

    [Theory]
    [MemberData(nameof(OtherHeaders))]
    public async Task A_header_differing_in_any_byte_gets_what_a_fresh_validator_gives(string header)
    {
        using var primed = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        await Prime(primed);
        var token = TestJwt.Hs(primed.HmacKey, primed.ValidPayload(), headerJson: header);
        var fresh = TestValidators.From(primed.Options, primed.Time);

        var expected = (await fresh.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure;

        Assert.Equal(expected, await primed.FailureOf(token));
    }

    [Fact]
    public async Task Tokens_signed_with_two_keys_in_turn_each_keep_their_own_header()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        var hs = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: HsHeader);
        var rs = TestJwt.Rs(fixture.Rsa, fixture.ValidPayload(), headerJson: """{"alg":"RS256","typ":"JWT","kid":"rs"}""");

        for (var i = 0; i < 4; i++)
        {
            var hsResult = await fixture.Validator.ValidateAsync(hs, TestContext.Current.CancellationToken);
            var rsResult = await fixture.Validator.ValidateAsync(rs, TestContext.Current.CancellationToken);

            Assert.Equal(("HS256", "hs"), (hsResult.Token!.Header.Algorithm, hsResult.Token.Header.KeyId));
            Assert.Equal(("RS256", "rs"), (rsResult.Token!.Header.Algorithm, rsResult.Token.Header.KeyId));
        }
    }

    [Fact]
    public async Task Four_headers_in_use_at_once_all_stay_remembered()
    {
        using var fixture = new ValidatorFixture(o => o.RepeatTokenCacheSize = 0);
        var tokens = new List<string>();
        foreach (var keyId in new[] { "hs", "h2", "h3", "h4" })
        {
            if (keyId != "hs")
            {
                fixture.Options.VerificationKeys.Add(VerificationKey.Symmetric(fixture.HmacKey, JwsAlgorithms.HS256, keyId: keyId));
            }

            tokens.Add(TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","typ":"JWT","kid":"{{keyId}}"}"""));
        }

        var validator = TestValidators.From(fixture.Options, fixture.Time);
        foreach (var token in tokens)
        {
            Assert.Equal(TokenFailureReason.None, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Failure);
        }

        foreach (var token in tokens)
        {
            Assert.True(validator.Headers.TryGet(token.AsSpan(0, token.IndexOf('.')), out var header));
            Assert.Equal(token, TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: $$"""{"alg":"HS256","typ":"JWT","kid":"{{header.KeyId}}"}"""));
        }
    }

    private static async Task Prime(ValidatorFixture fixture)
    {
        var valid = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload(), headerJson: HsHeader);
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(valid));
        Assert.True(fixture.Validator.Headers.TryGet(valid.AsSpan(0, valid.IndexOf('.')), out _));
    }

    /// <summary>The same token with one signature character changed.</summary>
    private static string Forge(string token)
    {
        var at = token.LastIndexOf('.') + 5;
        return token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
    }
}

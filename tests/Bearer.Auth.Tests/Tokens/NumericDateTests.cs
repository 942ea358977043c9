using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// RFC 7519 §2/§4.1.4–4.1.6: <c>exp</c>, <c>nbf</c> and <c>iat</c> are JSON numbers (fractions and exponents
/// allowed) from 0 (1970-01-01T00:00:00Z) to 253402300799 (9999-12-31T23:59:59Z), as the README says; anything else
/// is <c>claim_invalid</c>. Lifetime uses the 30 s default skew.
/// </summary>
public sealed class NumericDateTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";
    private static readonly long Now = ValidatorFixture.Now.ToUnixTimeSeconds();

    public static TheoryData<string, string> WrongTypes
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var claim in new[] { "exp", "nbf", "iat" })
            {
                foreach (var value in new[]
                {
                    "\"1780000000\"", "\"\"", "null", "true", "false", "[1780000000]", "[]", "{}", "{\"$date\":1780000000}",
                    "1e400", "-1e400", "1E309", "253402300800", "1e12", "-1", "-0.5", "9223372036854775808",
                })
                {
                    data.Add(claim, value);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Numeric_date_of_the_wrong_type_or_out_of_range_is_a_claim_error(string claim, string value)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.ClaimInvalid, await fixture.FailureOf(Hs(fixture, With(claim, value))));
    }

    /// <summary>
    /// Each bound, just inside and just outside, for each claim. Inside, the date is read and the lifetime rule decides
    /// (an <c>exp</c> of 1970 has expired, an <c>nbf</c> or <c>iat</c> of year 9999 is in the future); outside, the
    /// claim itself is invalid. 253402300799.001 is a distinct double above the bound (its spacing there is ~3e-5).
    /// </summary>
    [Theory]
    [InlineData("exp", "0", TokenFailureReason.TokenExpired)]
    [InlineData("exp", "0.0", TokenFailureReason.TokenExpired)]
    [InlineData("exp", "-1", TokenFailureReason.ClaimInvalid)]
    [InlineData("exp", "-0.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("exp", "-0", TokenFailureReason.ClaimInvalid)]
    [InlineData("exp", "253402300799", TokenFailureReason.None)]
    [InlineData("exp", "253402300799.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("exp", "253402300800", TokenFailureReason.ClaimInvalid)]
    [InlineData("nbf", "0", TokenFailureReason.None)]
    [InlineData("nbf", "0.0", TokenFailureReason.None)]
    [InlineData("nbf", "-1", TokenFailureReason.ClaimInvalid)]
    [InlineData("nbf", "-0.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("nbf", "-0", TokenFailureReason.ClaimInvalid)]
    [InlineData("nbf", "253402300799", TokenFailureReason.TokenNotYetValid)]
    [InlineData("nbf", "253402300799.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("nbf", "253402300800", TokenFailureReason.ClaimInvalid)]
    [InlineData("iat", "0", TokenFailureReason.None)]
    [InlineData("iat", "0.0", TokenFailureReason.None)]
    [InlineData("iat", "-1", TokenFailureReason.ClaimInvalid)]
    [InlineData("iat", "-0.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("iat", "-0.0", TokenFailureReason.ClaimInvalid)]
    [InlineData("iat", "253402300799", TokenFailureReason.TokenIssuedInFuture)]
    [InlineData("iat", "253402300799.001", TokenFailureReason.ClaimInvalid)]
    [InlineData("iat", "253402300800", TokenFailureReason.ClaimInvalid)]
    public async Task Numeric_dates_are_read_from_1970_to_the_end_of_year_9999_and_refused_outside(string claim, string value, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(expected, await fixture.FailureOf(Hs(fixture, With(claim, value))));
    }

    [Fact]
    public void The_upper_bound_is_the_last_second_of_year_9999()
    {
        Assert.Equal(253402300799, DateTimeOffset.MaxValue.ToUnixTimeSeconds());
        Assert.Equal(253402300799, JwtClaimsReader.MaxNumericDate);
        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero), DateTimeOffset.FromUnixTimeSeconds((long)JwtClaimsReader.MaxNumericDate));
    }

    [Theory]
    [InlineData("exp", "4.1024448e9")]
    [InlineData("exp", "4102444800.5")]
    [InlineData("exp", "41024448e2")]
    [InlineData("exp", "4.1024448E+9")]
    [InlineData("exp", "253402300799")]
    [InlineData("nbf", "1.7e9")]
    [InlineData("nbf", "0")]
    [InlineData("iat", "1700000000.999")]
    [InlineData("iat", "17e8")]
    public async Task Fractional_and_exponent_numeric_dates_are_valid(string claim, string value)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(Hs(fixture, With(claim, value))));
    }

    [Theory]
    [InlineData(-31, TokenFailureReason.TokenExpired)]
    [InlineData(-30, TokenFailureReason.TokenExpired)]
    [InlineData(-29, TokenFailureReason.None)]
    [InlineData(-3600, TokenFailureReason.TokenExpired)]
    [InlineData(1, TokenFailureReason.None)]
    public async Task Expiry_is_enforced_with_thirty_seconds_of_skew(long offset, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();
        var payload = With("exp", (Now + offset).ToString(System.Globalization.CultureInfo.InvariantCulture), With("iat", (Now - 7200).ToString(System.Globalization.CultureInfo.InvariantCulture), With("nbf", "0")));

        Assert.Equal(expected, await fixture.FailureOf(Hs(fixture, payload)));
    }

    [Theory]
    [InlineData(31, TokenFailureReason.TokenNotYetValid)]
    [InlineData(30, TokenFailureReason.None)]
    [InlineData(3600, TokenFailureReason.TokenNotYetValid)]
    public async Task Not_before_in_the_future_is_refused_beyond_the_skew(long offset, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(expected, await fixture.FailureOf(Hs(fixture, With("nbf", (Now + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    [Theory]
    [InlineData(31, TokenFailureReason.TokenIssuedInFuture)]
    [InlineData(30, TokenFailureReason.None)]
    [InlineData(86400, TokenFailureReason.TokenIssuedInFuture)]
    public async Task Issued_at_in_the_future_is_refused_beyond_the_skew(long offset, TokenFailureReason expected)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(expected, await fixture.FailureOf(Hs(fixture, With("iat", (Now + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    [Fact]
    public async Task Clock_moving_past_expiry_turns_a_valid_token_into_an_expired_one()
    {
        using var fixture = new ValidatorFixture();
        var token = Hs(fixture, fixture.ValidPayload());

        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        fixture.Time.Advance(TimeSpan.FromSeconds(329));
        Assert.Equal(TokenFailureReason.None, await fixture.FailureOf(token));
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailureReason.TokenExpired, await fixture.FailureOf(token));
    }

    [Fact]
    public async Task Missing_exp_is_refused_unless_expiry_is_optional()
    {
        using var strict = new ValidatorFixture();
        using var lenient = new ValidatorFixture(o => o.RequireExpirationTime = false);
        var payload = $$"""{"iss":"{{TestJwt.Issuer}}","aud":"{{TestJwt.Audience}}","sub":"user-1","iat":{{Now}}}""";

        Assert.Equal(TokenFailureReason.ExpirationMissing, await strict.FailureOf(Hs(strict, payload)));
        Assert.Equal(TokenFailureReason.None, await lenient.FailureOf(Hs(lenient, payload)));
    }

    [Fact]
    public async Task Custom_clock_skew_is_honoured()
    {
        using var fixture = new ValidatorFixture(o => o.ClockSkew = TimeSpan.Zero);

        Assert.Equal(TokenFailureReason.TokenExpired, await fixture.FailureOf(Hs(fixture, With("exp", Now.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        Assert.Equal(TokenFailureReason.TokenNotYetValid, await fixture.FailureOf(Hs(fixture, With("nbf", (Now + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))));
    }

    private static string Hs(ValidatorFixture fixture, string payload) => TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header);

    /// <summary>
    /// The typical valid payload (or <paramref name="payload"/>) with <paramref name="claim"/>'s raw JSON value replaced;
    /// in the typical payload the other bound moves out of the way (nbf to 0 when exp is tried, exp to the maximum when
    /// nbf is), so an nbf after exp (claim_invalid, judged first) never decides a case meant for the claim under test.
    /// </summary>
    private static string With(string claim, string rawValue, string? payload = null)
    {
        payload ??= claim switch
        {
            "exp" => RawJwt.WithClaim(TestJwt.Payload(ValidatorFixture.Now), "nbf", "0"),
            "nbf" => RawJwt.WithClaim(TestJwt.Payload(ValidatorFixture.Now), "exp", "253402300799"),
            _ => TestJwt.Payload(ValidatorFixture.Now),
        };
        return RawJwt.WithClaim(payload, claim, rawValue);
    }
}

using System.Globalization;
using Bearer.Auth.Tests.Support;
using CsCheck;

namespace Bearer.Auth.Tests.Properties;

/// <summary>
/// Properties of <c>exp</c>, <c>nbf</c> and <c>iat</c> (RFC 7519 §2, §4.1.4–4.1.6) as the README states them: a JSON
/// number from 0 to 253402300799 (1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z), fractions and exponents allowed,
/// anything else <c>claim_invalid</c>. Each accepted value is the same instant through <see cref="ValidatedToken"/>
/// however it is spelled, and the lifetime rules (30 s skew) decide exactly as a model of them predicts.
/// </summary>
public sealed class NumericDateProperties
{
    private const long Max = 253402300799;
    private const long Skew = 30;
    private const string Header = """{"alg":"HS256","kid":"hs"}""";
    private static readonly long Now = ValidatorFixture.Now.ToUnixTimeSeconds();
    private static readonly string[] DateClaims = ["exp", "nbf", "iat"];

    /// <summary>Whole seconds over the whole range, biased to every bound and its neighbours (0, the skew around now, the maximum).</summary>
    private static readonly Gen<long> Seconds = Gen.Frequency(
        (4, Gen.Long[0, Max]),
        (2, Gen.Long[Now - Skew - 2, Now + Skew + 2]),
        (1, Gen.Long[0, 2]),
        (1, Gen.Long[Max - 2, Max]));

    [Fact]
    public async Task Whole_seconds_across_the_range_are_read_as_that_instant_and_the_lifetime_rules_decide()
    {
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(Gen.Int[0, 2], Seconds),
            async input =>
            {
                var (claimIndex, seconds) = input;
                var claim = DateClaims[claimIndex];
                var result = await Validate(fixture, claim, seconds.ToString(CultureInfo.InvariantCulture));

                Assert.Equal(ExpectedLifetime(claim, seconds), result.Failure);
                if (result.Succeeded)
                {
                    Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds), DateOf(result.Token!, claim));
                }
            },
            cases: 600);
    }

    /// <summary>
    /// Every JSON spelling of one whole number (fraction of zeros, exponent with e/E and a sign, mantissa shifted) is the
    /// same NumericDate: same outcome, same instant. A reader that parsed only plain digits, or mis-scaled an exponent,
    /// would fail here.
    /// </summary>
    [Fact]
    public async Task Every_spelling_of_a_whole_number_is_the_same_numeric_date()
    {
        using var fixture = new ValidatorFixture();
        await RandomRuns.CheckAsync(
            Gen.Select(Gen.Int[0, 2], Seconds, Gen.Int[0, int.MaxValue]),
            async input =>
            {
                var (claimIndex, seconds, choice) = input;
                var claim = DateClaims[claimIndex];
                var spelling = Spell(seconds, choice);
                var plain = await Validate(fixture, claim, seconds.ToString(CultureInfo.InvariantCulture));
                var spelled = await Validate(fixture, claim, spelling);

                Assert.Equal(plain.Failure, spelled.Failure);
                if (spelled.Succeeded)
                {
                    Assert.Equal(DateOf(plain.Token!, claim), DateOf(spelled.Token!, claim));
                }
            },
            cases: 400,
            print: input => $"{DateClaims[input.Item1]}={Spell(input.Item2, input.Item3)}");
    }

    /// <summary>
    /// A fraction with up to six digits (milliseconds from <c>Date.now() / 1000</c>, microseconds) is that instant to the
    /// microsecond, and a fraction is kept as a fraction: the subject revocation rule compares a fractional <c>iat</c>
    /// exactly and only a whole-second one by its second (README, Revocation), so <c>.000001</c> must not read as whole.
    /// </summary>
    [Fact]
    public async Task A_fraction_of_up_to_six_digits_is_that_instant_to_the_microsecond()
    {
        using var fixture = new ValidatorFixture();
        var gen = Gen.Select(Gen.Long[Now - 10, Now + 10], Gen.Int[1, 6], Gen.Int[1, 999_999]);
        await RandomRuns.CheckAsync(
            gen,
            async input =>
            {
                var (seconds, digits, fraction) = input;
                var scale = (int)Math.Pow(10, digits);
                fraction %= scale;
                if (fraction == 0)
                {
                    fraction = 1;
                }

                var text = string.Create(CultureInfo.InvariantCulture, $"{seconds}.{fraction.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')}");
                var expected = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(fraction * (TimeSpan.TicksPerSecond / scale));
                var result = await Validate(fixture, "iat", text);

                Assert.Equal(TokenFailureReason.None, result.Failure);
                Assert.Equal(expected, result.Token!.IssuedAt);
                Assert.NotEqual(0, result.Token.IssuedAt!.Value.UtcTicks % TimeSpan.TicksPerSecond);
            },
            cases: 300,
            print: input => input.ToString());
    }

    /// <summary>Out of range or not a number: <c>claim_invalid</c>, whatever the other claims say, for each of the three.</summary>
    [Fact]
    public async Task Values_outside_the_range_or_of_another_type_are_a_claim_error()
    {
        using var fixture = new ValidatorFixture();
        var outside = Gen.OneOf(
            Gen.Long[Max + 1, long.MaxValue].Select(v => v.ToString(CultureInfo.InvariantCulture)),
            Gen.Long[long.MinValue + 1, -1].Select(v => v.ToString(CultureInfo.InvariantCulture)),
            Gen.Int[0, 298].Select(digits => "-0." + new string('0', digits) + "1"),
            Gen.Int[12, 400].Select(digits => "9" + new string('9', digits) + "0"),
            Gen.Int[309, 100_000].Select(exponent => "1e" + exponent.ToString(CultureInfo.InvariantCulture)),
            Gen.Int[309, 100_000].Select(exponent => "-1E+" + exponent.ToString(CultureInfo.InvariantCulture)),
            Gen.Int[1, 999_999].Select(fraction => Max.ToString(CultureInfo.InvariantCulture) + "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(6, '0')),
            Gen.OneOf(Gen.Const("\"1700000000\""), Gen.Const("null"), Gen.Const("true"), Gen.Const("[1700000000]"), Gen.Const("{}"), Gen.Const("\"NaN\""), Gen.Const("\"Infinity\""), Gen.Const("\"\"")));
        await RandomRuns.CheckAsync(
            Gen.Select(Gen.Int[0, 2], outside),
            async input =>
            {
                var (claimIndex, value) = input;

                Assert.Equal(TokenFailureReason.ClaimInvalid, (await Validate(fixture, DateClaims[claimIndex], value)).Failure);
            },
            cases: 400);
    }

    /// <summary>
    /// A minus sign is refused however small the number: a negative number whose magnitude no double holds reads as
    /// -0, which is 0 (1970), and so would slip past a range check on the value.
    /// </summary>
    [Theory]
    [InlineData("exp", "-1e-400")]
    [InlineData("nbf", "-1e-400")]
    [InlineData("iat", "-1E-330")]
    [InlineData("nbf", "-1e-320")]
    [InlineData("nbf", "-0")]
    [InlineData("iat", "-0.0e5")]
    public async Task A_minus_sign_is_a_claim_error_even_when_the_number_reads_as_zero(string claim, string value)
    {
        using var fixture = new ValidatorFixture();

        Assert.Equal(TokenFailureReason.ClaimInvalid, (await Validate(fixture, claim, value)).Failure);
    }

    /// <summary>NaN, Infinity and other non-JSON number texts are not JSON at all: <c>token_malformed</c>, not a date.</summary>
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("+1700000000")]
    [InlineData("01700000000")]
    [InlineData("1700000000.")]
    [InlineData(".5")]
    [InlineData("1e")]
    [InlineData("0x6553F100")]
    public async Task Number_texts_json_does_not_allow_are_malformed(string value)
    {
        using var fixture = new ValidatorFixture();
        foreach (var claim in DateClaims)
        {
            Assert.Equal(TokenFailureReason.TokenMalformed, (await Validate(fixture, claim, value)).Failure);
        }
    }

    /// <summary>The model of the lifetime rules the validator must agree with (README: 30 s skew, exp exclusive).</summary>
    private static TokenFailureReason ExpectedLifetime(string claim, long seconds) => claim switch
    {
        "exp" when Now >= seconds + Skew => TokenFailureReason.TokenExpired,
        "nbf" when Now + Skew < seconds => TokenFailureReason.TokenNotYetValid,

        "iat" when seconds > Now + Skew => TokenFailureReason.TokenIssuedInFuture,
        _ => TokenFailureReason.None,
    };

    private static string Spell(long seconds, int choice)
    {
        var digits = seconds.ToString(CultureInfo.InvariantCulture);
        var zeros = new string('0', 1 + (choice % 5));
        switch (choice % 7)
        {
            case 0:
                return digits + "." + zeros;
            case 1:
                return digits + (choice % 2 == 0 ? "e0" : "E+0");
            case 2:
                // d.ddd…e+k: the mantissa with every digit, scaled back.
                return digits.Length == 1 ? digits + ".0e0" : $"{digits[0]}.{digits[1..]}{((choice / 7) % 2 == 0 ? "e" : "E+")}{digits.Length - 1}";
            case 3:
                return seconds == 0 ? "0e-3" : digits + zeros + "e-" + zeros.Length.ToString(CultureInfo.InvariantCulture);
            case 4:
                // 0.ddd…e+k (a leading zero, then the digits)
                return $"0.{digits}e{digits.Length}";
            case 5:
                return seconds == 0 ? "0.0E0" : digits + ".0E0";
            default:
                var trimmed = digits.TrimEnd('0');
                return trimmed.Length == 0 ? "0e5" : trimmed + "e" + (digits.Length - trimmed.Length).ToString(CultureInfo.InvariantCulture);
        }
    }

    private static DateTimeOffset? DateOf(ValidatedToken token, string claim) => claim switch
    {
        "exp" => token.ExpiresAt,
        "nbf" => token.NotBefore,
        _ => token.IssuedAt,
    };

    /// <summary>
    /// The fixture's payload with <paramref name="claim"/> replaced, and the other bound moved out of the way (nbf to 0
    /// when exp is tried, exp to the maximum when nbf is), so an nbf after exp (claim_invalid, judged first) never
    /// decides a case meant for the claim under test.
    /// </summary>
    private static async Task<TokenValidationResult> Validate(ValidatorFixture fixture, string claim, string rawValue)
    {
        var payload = claim switch
        {
            "exp" => RawJwt.WithClaim(fixture.ValidPayload(), "nbf", "0"),
            "nbf" => RawJwt.WithClaim(fixture.ValidPayload(), "exp", Max.ToString(CultureInfo.InvariantCulture)),
            _ => fixture.ValidPayload(),
        };
        payload = RawJwt.WithClaim(payload, claim, rawValue);
        return await fixture.Validator.ValidateAsync(TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header), TestContext.Current.CancellationToken);
    }
}

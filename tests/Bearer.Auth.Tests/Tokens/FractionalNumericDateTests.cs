using System.Globalization;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// A fractional NumericDate is the instant it names on <see cref="ValidatedToken"/> (to the microsecond), not that
/// instant truncated to whole milliseconds: a fraction under a millisecond vanished, so the subject revocation rule
/// took a fractional <c>iat</c> for a whole second and kept a token issued before "sign out everywhere".
/// </summary>
public sealed class FractionalNumericDateTests
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";
    private static readonly long Now = ValidatorFixture.Now.ToUnixTimeSeconds();

    [Theory]
    [InlineData(".123", 1_230_000)]
    [InlineData(".5", 5_000_000)]
    [InlineData(".999", 9_990_000)]
    [InlineData(".89969", 8_996_900)]
    [InlineData(".000001", 10)]
    [InlineData(".0005", 5_000)]
    [InlineData(".9999995", 9_999_990)]
    [InlineData(".0000004", 10)]
    public async Task Fractional_iat_is_the_instant_it_names(string fraction, long ticksIntoTheSecond)
    {
        using var fixture = new ValidatorFixture();

        var token = await Validate(fixture, Now.ToString(CultureInfo.InvariantCulture) + fraction);

        Assert.Equal(ValidatorFixture.Now.AddTicks(ticksIntoTheSecond), token.IssuedAt);
    }

    [Fact]
    public async Task Token_issued_a_fraction_of_a_millisecond_into_the_second_of_a_subject_revocation_and_before_it_is_revoked()
    {
        using var fixture = new ValidatorFixture();
        var storeTime = new FakeTimeProvider(ValidatorFixture.Now.AddMilliseconds(900));
        var store = new InMemoryTokenRevocationStore(storeTime);
        await store.RevokeSubjectAsync("user-1", ValidatorFixture.Now.AddHours(1), TestContext.Current.CancellationToken);
        var before = await Validate(fixture, Now.ToString(CultureInfo.InvariantCulture) + ".0005");
        var after = await Validate(fixture, Now.ToString(CultureInfo.InvariantCulture) + ".9005");

        Assert.True(await store.IsRevokedAsync(before, TestContext.Current.CancellationToken));
        Assert.False(await store.IsRevokedAsync(after, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData(".9999995")]
    [InlineData(".0000004")]
    public async Task A_fraction_finer_than_a_microsecond_never_lands_on_a_whole_second_and_escapes_a_subject_revocation(string fraction)
    {
        // Rounded to the nearest microsecond, …59.9999995 became the next whole second and .0000004 a whole second:
        // whole-second iats are compared by their second, so either token was kept by a revocation at .900. (A
        // fraction finer than a double holds at all, ~0.24 µs today, such as .00000001, parses as a whole second and is
        // read as one: like the whole-second iats nearly every issuer writes, see SubjectRevocation.)
        using var fixture = new ValidatorFixture();
        var store = new InMemoryTokenRevocationStore(new FakeTimeProvider(ValidatorFixture.Now.AddMilliseconds(900)));
        await store.RevokeSubjectAsync("user-1", ValidatorFixture.Now.AddHours(1), TestContext.Current.CancellationToken);
        var second = fraction == ".9999995" ? Now - 1 : Now;

        var token = await Validate(fixture, second.ToString(CultureInfo.InvariantCulture) + fraction);

        Assert.NotEqual(0, token.IssuedAt!.Value.Ticks % TimeSpan.TicksPerSecond);
        Assert.Equal(second, token.IssuedAt.Value.ToUnixTimeSeconds());
        Assert.True(await store.IsRevokedAsync(token, TestContext.Current.CancellationToken));
    }

    private static async Task<ValidatedToken> Validate(ValidatorFixture fixture, string iat)
    {
        var payload = RawJwt.WithClaim(fixture.ValidPayload(), "iat", iat);
        var result = await fixture.Validator.ValidateAsync(TestJwt.Hs(fixture.HmacKey, payload, headerJson: Header), TestContext.Current.CancellationToken);
        Assert.Equal(TokenFailureReason.None, result.Failure);
        return result.Token!;
    }
}

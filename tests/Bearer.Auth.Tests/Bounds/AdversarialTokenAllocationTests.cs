using System.Globalization;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// Adversarial tokens cost bounded heap, measured in bytes allocated per validation (never wall time). Two costs are
/// the yardsticks, measured in the same run: <b>a refusal</b> (the empty token, refused by the first check) and <b>a
/// valid token</b> (the typical 230-character one). They are what every validation allocates whatever the token: the
/// result, the validated token, and in a Debug build the async state machines (classes there, structs in Release).
/// Every bound below is one of these, or one of these plus a constant stated with its reason: so a token's size,
/// depth, width or numbers adding even one byte per character, level, member or digit fails the test.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class AdversarialTokenAllocationTests : IDisposable
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    /// <summary>
    /// What refusing a token by an exception of the JSON reader (depth over the limit) may add: the exception, its
    /// message and stack trace, caught at the parser's boundary. It does not depend on the input (see the depth tests).
    /// </summary>
    private const long ReaderExceptionAllowance = 16 * 1024;

    private readonly ValidatorFixture _fixture = AllocationProbe.Uncached();
    private readonly long _refusal;
    private readonly long _valid;

    public AdversarialTokenAllocationTests()
    {
        _refusal = AllocationProbe.Allocated(_fixture.Validator, string.Empty, TokenFailureReason.TokenMalformed);
        _valid = AllocationProbe.Allocated(_fixture.Validator, Hs(_fixture.ValidPayload()), TokenFailureReason.None);
    }

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_token_one_character_over_the_limit_or_a_megabyte_over_costs_no_more_than_refusing_an_empty_token()
    {
        var maxSize = _fixture.Options.MaxTokenSize;
        Assert.Equal(BearerJwtDefaults.MaxTokenSize, maxSize);
        var justOver = PaddedTo(_fixture, maxSize + 1);
        var huge = new string('A', 1024 * 1024);

        // The length is checked before anything reads the text: no copy, no scan, no decode.
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, justOver, TokenFailureReason.TokenTooLarge), 0, _refusal);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, huge, TokenFailureReason.TokenTooLarge), 0, _refusal);
    }

    [Fact]
    public void A_valid_token_of_exactly_the_maximum_size_costs_no_more_than_a_minimal_valid_token()
    {
        var max = PaddedTo(_fixture, _fixture.Options.MaxTokenSize);
        Assert.Equal(_fixture.Options.MaxTokenSize, max.Length);

        // Its 12 KiB of payload are decoded into a pooled buffer and read in place: nothing on the heap grows with it.
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, max, TokenFailureReason.None), 0, _valid);

        // Forged, it is refused after the signature check at the cost of any refusal.
        var forged = RawJwt.WithSignature(max, new byte[32]);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, forged, TokenFailureReason.SignatureInvalid), 0, _refusal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Nesting_at_the_depth_limit_costs_nothing_more_and_over_it_one_exception_whatever_the_depth(bool inHeader)
    {
        // 63 arrays inside the outermost object is depth 64, the limit; 64 is one over; 5,000 is far over.
        var atLimit = Nested(inHeader, 63);
        var overByOne = Nested(inHeader, 64);
        var farOver = Nested(inHeader, 5_000);

        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, atLimit, TokenFailureReason.None), 0, _valid);
        var justOver = AllocationProbe.Allocated(_fixture.Validator, overByOne, TokenFailureReason.TokenMalformed);
        Assert.InRange(justOver, 0, _refusal + ReaderExceptionAllowance);

        // The reader stops at level 65 however deep the text goes: the same cost for 5,000 levels as for 65.
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, farOver, TokenFailureReason.TokenMalformed), 0, justOver);
    }

    [Fact]
    public void The_most_members_the_size_limit_allows_cost_no_more_than_a_minimal_valid_token()
    {
        var members = MostMembersWithin(_fixture.Options.MaxTokenSize);
        Assert.True(members > 1_000, $"only {members} members fit");
        var wide = Hs(_fixture.ValidPayload(Members(members)));
        var duplicateLast = Hs(_fixture.ValidPayload(Members(members - 1) + ",\"0\":1"));

        // The duplicate check's hash table grows in pooled arrays: no allocation per member.
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, wide, TokenFailureReason.None), 0, _valid);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, duplicateLast, TokenFailureReason.MemberDuplicate), 0, _refusal);
    }

    [Fact]
    public void Five_thousand_members_under_a_raised_size_limit_cost_no_more_than_a_minimal_valid_token()
    {
        using var wide = AllocationProbe.Uncached(o => o.MaxTokenSize = 64 * 1024);
        var valid = AllocationProbe.Allocated(wide.Validator, TestJwt.Hs(wide.HmacKey, wide.ValidPayload(), headerJson: Header), TokenFailureReason.None);
        var token = TestJwt.Hs(wide.HmacKey, wide.ValidPayload(Members(5_000)), headerJson: Header);
        Assert.InRange(token.Length, 50_000, 64 * 1024);

        Assert.InRange(AllocationProbe.Allocated(wide.Validator, token, TokenFailureReason.None), 0, valid);
    }

    [Fact]
    public void Thousands_of_repeats_of_one_name_are_refused_at_the_second_at_the_cost_of_any_refusal()
    {
        var repeats = Hs(_fixture.ValidPayload(string.Join(',', Enumerable.Repeat("\"a\":0", 2_000))));
        var nestedRepeats = Hs(_fixture.ValidPayload("\"o\":{" + string.Join(',', Enumerable.Repeat("\"a\":[0]", 1_500)) + "}"));

        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, repeats, TokenFailureReason.MemberDuplicate), 0, _refusal);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, nestedRepeats, TokenFailureReason.MemberDuplicate), 0, _refusal);
    }

    [Fact]
    public void Huge_numbers_cost_nothing_in_other_claims_and_are_refused_in_numeric_dates_at_the_cost_of_any_refusal()
    {
        var digits400 = "1" + new string('7', 399);
        var elsewhere = Hs(_fixture.ValidPayload($"\"big\":{digits400},\"e\":1e400,\"n\":-1E+400,\"f\":0.{new string('3', 400)},\"a\":[{digits400},1e400]"));

        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, elsewhere, TokenFailureReason.None), 0, _valid);
        foreach (var claim in new[] { "exp", "nbf", "iat" })
        {
            foreach (var number in new[] { "1e400", digits400, "-" + digits400 })
            {
                var token = Hs(RawJwt.WithClaim(_fixture.ValidPayload(), claim, number));
                Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, token, TokenFailureReason.ClaimInvalid), 0, _refusal);
            }
        }
    }

    private string Hs(string payload) => TestJwt.Hs(_fixture.HmacKey, payload, headerJson: Header);

    private string Nested(bool inHeader, int arrays)
    {
        var deep = $"\"x-deep\":{new string('[', arrays)}{new string(']', arrays)}";
        return inHeader
            ? TestJwt.Hs(_fixture.HmacKey, _fixture.ValidPayload(), headerJson: $"{{\"alg\":\"HS256\",\"kid\":\"hs\",{deep}}}")
            : Hs(_fixture.ValidPayload(deep));
    }

    private static string Members(int count) =>
        string.Join(',', Enumerable.Range(0, count).Select(i => $"\"{i.ToString(CultureInfo.InvariantCulture)}\":0"));

    private int MostMembersWithin(int maxSize)
    {
        var count = 1;
        while (Hs(_fixture.ValidPayload(Members(count * 2))).Length <= maxSize)
        {
            count *= 2;
        }

        for (var step = count / 2; step > 0; step /= 2)
        {
            if (Hs(_fixture.ValidPayload(Members(count + step))).Length <= maxSize)
            {
                count += step;
            }
        }

        return count;
    }

    /// <summary>A valid token padded with one string claim to exactly <paramref name="length"/> characters (when reachable) or just over it.</summary>
    private static string PaddedTo(ValidatorFixture fixture, int length)
    {
        for (var pad = (length * 3 / 4) - 400; ; pad++)
        {
            var token = TestJwt.Hs(fixture.HmacKey, fixture.ValidPayload($"\"pad\":\"{new string('x', pad)}\""), headerJson: Header);
            if (token.Length >= length)
            {
                return token;
            }
        }
    }
}

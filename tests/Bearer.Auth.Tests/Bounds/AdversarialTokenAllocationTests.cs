using System.Globalization;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Bounds;

/// <summary>
/// Adversarial tokens cost bounded heap, measured in bytes allocated per validation (never wall time). Three costs are
/// the yardsticks, measured in the same run: <b>a refusal</b> (the empty token, refused by the first check), <b>a
/// refusal after reading</b> (the typical 230-character token with a wrong signature: its header and payload read,
/// which adds the header's <c>kid</c> string) and <b>a valid token</b> (the typical one). They are what every validation
/// allocates whatever the token: the result, the validated token, and in a Debug build the async state machines
/// (classes there, structs in Release). The probe empties the header memo before each call, so every token's header
/// is read, never reused.
/// Every bound below is one of these, or one of these plus a constant stated with its reason: so a token's size,
/// depth, width or numbers adding even one byte per character, level, member or digit fails the test.
/// </summary>
[Collection(nameof(AllocationMeasurements))]
public sealed class AdversarialTokenAllocationTests : IDisposable
{
    private const string Header = """{"alg":"HS256","kid":"hs"}""";

    /// <summary>
    /// What refusing a token by an exception of the JSON reader may add when its message quotes nothing of the input
    /// (depth over the limit): the exception, its message and stack trace, caught at the parser's boundary. The same for
    /// 65 levels as for 5,000 (see the depth tests). Not every reader exception is input-independent: an invalid
    /// literal is quoted whole in the message, a cost linear in its length that
    /// <see cref="An_invalid_literal_costs_at_most_a_few_bytes_per_character_up_to_the_size_limit"/> pins.
    /// </summary>
    private const long ReaderExceptionAllowance = 16 * 1024;

    /// <summary>
    /// What an invalid literal may cost per character of the token, on top of a refusal. The reader throws a
    /// <c>JsonException</c> whose message quotes the literal whole: its bytes (three per four base64url characters)
    /// become a UTF-16 string, are formatted into the message, and the message gets the JSON path and position appended,
    /// each a copy at two bytes a character: 3 × 2 × ¾ = 4.5 bytes a token character. Measured on .NET 10 (Debug, x64):
    /// 19,352 B for a 4,096-character token and 74,600 B for 16,384 (a slope of 4.50 B a character, and about 330 B
    /// for the exception itself). Five leaves half a byte a character for that fixed part (2 KiB at the smaller size);
    /// a fourth copy (6 B a character) or a cost that grows faster than the literal fails.
    /// </summary>
    private const int QuotedLiteralBytesPerCharacter = 5;

    private readonly ValidatorFixture _fixture = AllocationProbe.Uncached();
    private readonly long _refusal;
    private readonly long _refusedAfterReading;
    private readonly long _valid;

    public AdversarialTokenAllocationTests()
    {
        _refusal = AllocationProbe.Allocated(_fixture.Validator, string.Empty, TokenFailureReason.TokenMalformed);
        _refusedAfterReading = AllocationProbe.Allocated(
            _fixture.Validator, RawJwt.WithSignature(Hs(_fixture.ValidPayload()), new byte[32]), TokenFailureReason.SignatureInvalid);
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
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, forged, TokenFailureReason.SignatureInvalid), 0, _refusedAfterReading);
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

        // Valid, its header is read (the probe empties the header memo) and then remembered: the memo's copy of the
        // header text, two bytes a character, is the one cost that grows with a header (one over 512 is not kept).
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, atLimit, TokenFailureReason.None), 0, _valid + HeaderCopyGrowth(atLimit));

        // Forged, the same text is read and refused after the signature check, with no copy: the cost of any refusal.
        var forged = RawJwt.WithSignature(atLimit, new byte[32]);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, forged, TokenFailureReason.SignatureInvalid), 0, _refusedAfterReading);
        var justOver = AllocationProbe.Allocated(_fixture.Validator, overByOne, TokenFailureReason.TokenMalformed);
        Assert.InRange(justOver, 0, _refusedAfterReading + ReaderExceptionAllowance);

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
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, duplicateLast, TokenFailureReason.MemberDuplicate), 0, _refusedAfterReading);
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

        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, repeats, TokenFailureReason.MemberDuplicate), 0, _refusedAfterReading);
        Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, nestedRepeats, TokenFailureReason.MemberDuplicate), 0, _refusedAfterReading);
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
                Assert.InRange(AllocationProbe.Allocated(_fixture.Validator, token, TokenFailureReason.ClaimInvalid), 0, _refusedAfterReading);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_invalid_literal_costs_at_most_a_few_bytes_per_character_up_to_the_size_limit(bool inHeader)
    {
        // The fuzzer's finding: {"alg":"HS256","typ":ffff…} allocates in proportion to its f's, because the reader's
        // exception quotes the literal. The size limit caps it; the bound at a quarter of the limit and at the limit
        // itself fails a cost that grows faster than the literal, or by more per character than the copies above.
        var max = _fixture.Options.MaxTokenSize;
        foreach (var length in new[] { max / 4, max })
        {
            var token = InvalidLiteral(inHeader, length);
            Assert.InRange(token.Length, length - 4, length);
            var allocated = AllocationProbe.Allocated(_fixture.Validator, token, TokenFailureReason.TokenMalformed);
            var bound = _refusedAfterReading + ((long)QuotedLiteralBytesPerCharacter * token.Length);
            Assert.True(allocated <= bound, $"{token.Length} characters allocated {allocated} B (refusal {_refusedAfterReading} B, {(double)(allocated - _refusedAfterReading) / token.Length:F2} B a character), over {bound} B");
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

    /// <summary>
    /// What the header memo's copy of <paramref name="token"/>'s header text costs beyond the copy of the minimal valid
    /// token's: a string of n characters is 22 + 2n bytes rounded up to 8 (x64).
    /// </summary>
    private long HeaderCopyGrowth(string token)
    {
        static long StringBytes(int length) => (22 + (2L * length) + 7) & ~7L;
        return StringBytes(token.IndexOf('.')) - StringBytes(Hs(_fixture.ValidPayload()).IndexOf('.'));
    }

    /// <summary>
    /// A token of at most <paramref name="length"/> characters (and at most four fewer) whose header or payload ends in
    /// an invalid literal (<c>fff…</c>, read as a misspelt <c>false</c>), signed so that the payload is read.
    /// </summary>
    private string InvalidLiteral(bool inHeader, int length)
    {
        string With(int count)
        {
            var literal = new string('f', count);
            return inHeader
                ? TestJwt.Hs(_fixture.HmacKey, _fixture.ValidPayload(), headerJson: $"{{\"alg\":\"HS256\",\"kid\":\"hs\",\"typ\":{literal}}}")
                : Hs(_fixture.ValidPayload($"\"x\":{literal}"));
        }

        var count = Math.Max(1, (length * 3 / 4) - 400);
        while (With(count + 1).Length <= length)
        {
            count++;
        }

        return With(count);
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

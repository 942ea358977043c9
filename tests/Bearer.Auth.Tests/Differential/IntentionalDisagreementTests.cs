using System.Text.Json;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// The allow-list is not dead: each entry of <see cref="IntentionalDisagreements"/> has a deterministic token that
/// IdentityModel accepts and we refuse with the entry's reason, and that the entry (and only it, first) explains.
/// </summary>
public sealed class IntentionalDisagreementTests
{
    public static TheoryData<string> Entries => [.. IntentionalDisagreements.All.Select(e => e.Rule)];

    [Theory]
    [MemberData(nameof(Entries))]
    public async Task Each_listed_disagreement_is_reached_by_its_example(string rule)
    {
        var entry = IntentionalDisagreements.All.Single(e => e.Rule == rule);
        var validators = new TwoValidators();

        var verdicts = await validators.JudgeAsync(entry.Example(validators.Keys));

        Assert.True(verdicts.TheyAccept, "IdentityModel must accept the example:\n" + verdicts);
        Assert.Equal(entry.Reason, verdicts.Ours.Failure);
        Assert.Same(entry, IntentionalDisagreements.Explain(verdicts));
    }

    [Theory]
    [InlineData("""{"\ud800":1,"a":2,"a":3}""", true)]
    [InlineData("""{"\ud800":1,"\uD800":2}""", true)]
    [InlineData("""{"x":{"\udfff":[],"\udfff":0}}""", true)]
    [InlineData("""{"\ud800":1,"\udc00":2,"a":3}""", false)]
    [InlineData("""{"\ud800\udc00":1,"\ud800":2}""", false)]
    [InlineData("""{"\ud800\udc00":1,"𐀀":2}""", true)]
    public void A_name_with_an_unpaired_surrogate_is_compared_by_its_code_units_and_never_stops_the_duplicate_check(string json, bool duplicate)
    {
        // JsonProperty.Name throws on these names: one such name must neither abort a mutation run nor hide a repeat.
        using var document = JsonDocument.Parse(json);

        Assert.Equal(duplicate, IntentionalDisagreements.HasDuplicateName(document.RootElement));
    }

    [Fact]
    public void A_kid_that_is_not_a_string_is_a_header_parameter_of_the_wrong_type_not_an_unknown_key_id()
    {
        foreach (var kid in new[] { "42", "null", "[\"k-HS256\"]", "{}" })
        {
            var token = DecodedToken.Read(TestJwt.B64($$"""{"alg":"HS256","kid":{{kid}}}""") + "." + TestJwt.B64("{}") + ".c2ln");

            Assert.False(IntentionalDisagreements.UnknownKeyId.Applies(token), kid);
            Assert.True(IntentionalDisagreements.HeaderParameterOfWrongType.Applies(token), kid);
        }

        var unknown = DecodedToken.Read(TestJwt.B64("""{"alg":"HS256","kid":"k-unknown"}""") + "." + TestJwt.B64("{}") + ".c2ln");
        Assert.True(IntentionalDisagreements.UnknownKeyId.Applies(unknown));
    }

    [Fact]
    public void Every_entry_names_a_refusal_reason_and_an_rfc()
    {
        Assert.All(IntentionalDisagreements.All, entry =>
        {
            Assert.NotEqual(TokenFailureReason.None, entry.Reason);
            Assert.Contains("RFC", entry.Reference, StringComparison.Ordinal);
        });
        Assert.Equal(IntentionalDisagreements.All.Count, IntentionalDisagreements.All.Select(e => e.Rule).Distinct().Count());
    }
}

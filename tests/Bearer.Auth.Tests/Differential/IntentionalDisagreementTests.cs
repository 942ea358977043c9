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

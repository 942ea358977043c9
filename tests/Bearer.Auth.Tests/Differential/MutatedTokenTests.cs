using System.Text;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Differential;

/// <summary>
/// Valid tokens of every algorithm, mutated at random (<see cref="TokenMutations"/>), judged by both validators. For
/// every mutant: (a) our validator returns a result, never throws; (b) we never accept a token whose signing input or
/// signature changed unless a key we trust signed it again (an attacker's signature, or the old one over new bytes,
/// never passes), and then the key that verified it is that key; (c) what we accept IdentityModel accepts too, with
/// the same claims; (d) what IdentityModel accepts and we refuse is one of <see cref="IntentionalDisagreements"/>.
/// All mutants of the run are judged before the test fails, so one run shows every kind of disagreement.
/// </summary>
public sealed class MutatedTokenTests
{
    private const int Cases = 1500;

    /// <summary>
    /// Entries the run must explain at least once: one per layer a mutation reaches (the base64url text, the JSON, the
    /// header's key selection, the registered claims), each aimed at by its own mutations (re-encodings, duplicates at
    /// any depth, kid changes, claims of other types and values, JSON text oddities). The default seed explains each
    /// of them at least 8 times in 1,500 mutants, and 13 of the 14 entries in all (all but the header parameter of the
    /// wrong type); at 8 expected hits a random seed misses one with a chance of e⁻⁸ ≈ 0.03%. The entries hit more
    /// rarely, or not at all, are proved live by <see cref="IntentionalDisagreementTests"/>.
    /// </summary>
    private static readonly IntentionalDisagreement[] Core =
    [
        IntentionalDisagreements.DuplicateMember,
        IntentionalDisagreements.NonCanonicalBase64Url,
        IntentionalDisagreements.UnknownKeyId,
        IntentionalDisagreements.RegisteredClaimOfWrongTypeOrRange,
        IntentionalDisagreements.NotOneJsonObject,
    ];

    [Fact]
    public async Task Mutated_tokens_are_refused_or_accepted_exactly_as_the_oracle_and_the_allow_list_say()
    {
        var run = await RunAsync(Cases * RandomRuns.Scale);

        Assert.True(run.Failed == 0, $"{run.Failed} mutants broke the properties:\n\n" + string.Join("\n\n", run.Failures));

        // The run must exercise both sides: mutants we accept (re-signed) and disagreements the list explains.
        Assert.InRange(run.Accepted, 1, run.Total - 1);
        var missing = Core.Where(e => !run.Explained.ContainsKey(e)).Select(e => e.Rule).ToList();
        var hit = string.Join("; ", run.Explained.Select(p => $"{p.Key.Rule} ×{p.Value}"));
        Assert.True(missing.Count == 0, $"The run explained no disagreement of: {string.Join("; ", missing)}\nIt explained: {hit}");
        Assert.True(run.Explained.Count >= 10, $"The run explained only {run.Explained.Count} kinds of disagreement: {hit}");
    }

    /// <summary>Judges <paramref name="cases"/> mutants; failures are kept (the first 40 in full), not thrown.</summary>
    internal static async Task<MutationRun> RunAsync(int cases)
    {
        var validators = new TwoValidators();
        var failures = new List<string>();
        var explained = new Dictionary<IntentionalDisagreement, int>();
        var refusedByBoth = new Dictionary<TokenFailureReason, int>();
        var accepted = 0;
        var failed = 0;
        for (var i = 0; i < cases; i++)
        {
            var random = RandomRuns.RandomFor(i);
            var key = validators.Keys.All[i % validators.Keys.All.Count];
            var header = RandomHeader(random, key);
            var payload = RandomClaimSets.Valid(random, integerTimesOnly: random.Next(2) == 0);
            var mutant = TokenMutations.Mutate(random, validators.Keys, key, header, payload);
            var verdicts = await validators.JudgeAsync(mutant.Token);
            var problem = Judge(mutant, verdicts, explained);
            accepted += verdicts.WeAccept ? 1 : 0;
            if (!verdicts.WeAccept && !verdicts.TheyAccept && verdicts.OursThrew is null)
            {
                refusedByBoth[verdicts.Ours.Failure] = refusedByBoth.GetValueOrDefault(verdicts.Ours.Failure) + 1;
            }

            if (problem is not null && ++failed <= 40)
            {
                failures.Add($"case {i} (replay: {RandomRuns.SeedVariable}={RandomRuns.Seed}): {problem}\n  mutation: {mutant.Mutation}\n  {verdicts}");
            }
        }

        return new MutationRun(cases, accepted, failed, failures, explained, refusedByBoth);
    }

    /// <summary>What is wrong with the verdicts on <paramref name="mutant"/>, or null.</summary>
    internal static string? Judge(Mutant mutant, Verdicts verdicts, Dictionary<IntentionalDisagreement, int>? explained = null)
    {
        if (verdicts.OursThrew is not null)
        {
            return "(a) our validator threw";
        }

        if (verdicts.WeAccept)
        {
            if (mutant.Token != mutant.Original)
            {
                switch (mutant.Signer)
                {
                    case Resigning.None:
                        return "(b) we accepted changed bytes under the old signature";
                    case Resigning.Attacker:
                        return "(b) we accepted a signature by a key we do not trust";
                    case Resigning.TrustedKey when verdicts.Ours.Token!.Key.KeyId != mutant.TrustedSigner!.KeyId:
                        return $"(b) verified by {verdicts.Ours.Token!.Key.KeyId}, signed by {mutant.TrustedSigner!.KeyId}";
                }
            }

            if (!verdicts.TheyAccept)
            {
                return "(c) we accept, IdentityModel refuses";
            }

            return ClaimComparison.Difference(verdicts.Ours.Token!, verdicts.Theirs) is { } difference ? "(c) " + difference : null;
        }

        if (verdicts.TheyAccept)
        {
            if (IntentionalDisagreements.Explain(verdicts) is not { } entry)
            {
                return "(d) IdentityModel accepts, we refuse with " + verdicts.Ours.Failure + ", and no listed rule explains it";
            }

            if (explained is not null)
            {
                explained[entry] = explained.GetValueOrDefault(entry) + 1;
            }
        }

        return null;
    }

    internal sealed record MutationRun(
        int Total,
        int Accepted,
        int Failed,
        List<string> Failures,
        Dictionary<IntentionalDisagreement, int> Explained,
        Dictionary<TokenFailureReason, int> RefusedByBoth);

    private static string RandomHeader(Random random, AlgorithmKey key)
    {
        var members = new List<string> { $"\"alg\":\"{key.Algorithm}\"" };
        if (random.Next(5) != 0)
        {
            members.Add($"\"kid\":\"{key.KeyId}\"");
        }

        if (random.Next(4) != 0)
        {
            members.Add(random.Next(2) == 0 ? "\"typ\":\"JWT\"" : "\"typ\":\"at+jwt\"");
        }

        var text = new StringBuilder("{");
        foreach (var member in members.OrderBy(_ => random.Next()))
        {
            text.Append(text.Length > 1 ? "," : "").Append(member);
        }

        return text.Append('}').ToString();
    }
}

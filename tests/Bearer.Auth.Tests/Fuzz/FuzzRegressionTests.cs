using System.Globalization;
using System.Text;
using Bearer.Auth.Fuzz;

namespace Bearer.Auth.Tests.Fuzz;

/// <summary>
/// The fuzz harness's inputs, replayed on every test run: each input AFL++ ever reported (<c>fuzz/regressions</c>) gives
/// the outcome recorded for it, and every seed runs clean. The fuzzer itself runs from <c>fuzz/fuzz.sh</c>, not here.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "FuzzRegressions");
    private static readonly List<SeedCorpus.Seed> AllSeeds = SeedCorpus.Create(Path.Combine(AppContext.BaseDirectory, "Vectors"));

    public static TheoryData<string> Regressions()
    {
        var names = new TheoryData<string>();
        foreach (var (name, _) in Outcomes())
        {
            names.Add(name);
        }

        return names;
    }

    public static TheoryData<string> Seeds()
    {
        var names = new TheoryData<string>();
        foreach (var seed in AllSeeds)
        {
            names.Add(seed.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(Regressions))]
    public void A_reported_input_gives_its_recorded_outcome(string name)
    {
        var expected = Outcomes().Single(o => o.Name == name).Outcome;

        var outcome = FuzzTarget.Run(File.ReadAllBytes(Path.Combine(Folder, name)));

        Assert.Equal(expected, outcome);
    }

    [Fact]
    public void Every_reported_input_has_a_recorded_outcome()
    {
        var recorded = Outcomes().Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(Folder).Select(Path.GetFileName).Where(n => n != "outcomes.tsv");

        Assert.DoesNotContain(files, f => !recorded.Contains(f!));
        Assert.NotEmpty(recorded);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_seed_runs_clean(string name)
    {
        var seed = AllSeeds.Single(s => s.Name == name);

        var outcome = FuzzTarget.Run(seed.Input);

        Assert.StartsWith(ExpectedPrefix(seed.Input[0]), outcome, StringComparison.Ordinal);
    }

    [Fact]
    public void The_seeds_reach_acceptance_in_every_mode_and_algorithm()
    {
        var accepted = AllSeeds
            .Where(s => FuzzTarget.Run(s.Input).EndsWith("accepted", StringComparison.Ordinal))
            .Select(s => s.Name)
            .ToList();

        // Mutations of an accepted seed are what reach the claim rules behind the signature check.
        Assert.Contains("token-hs256", accepted);
        Assert.Contains("token-rs256", accepted);
        Assert.Contains("token-ps256", accepted);
        Assert.Contains("token-es256", accepted);
        Assert.Contains("latin1-hs256", accepted);
        Assert.Contains("signed-claims", accepted);
    }

    [Theory]
    [InlineData("\"exp\":{0}", -3600, "exp is missing, not a number, or past")]
    [InlineData("\"exp\":{0},\"nbf\":{1}", 10, "nbf is after its exp")]
    [InlineData("\"exp\":{0},\"nbf\":\"x\"", 60, "nbf is not a number")]
    [InlineData("\"exp\":{0},\"iat\":{2}", 600, "iat is not a number or in the future")]
    [InlineData("\"exp\":{0},\"sub\":1", 60, "sub is not a string")]
    [InlineData("\"exp\":{0},\"iat\":-0", 60, "minus sign")]
    public void The_harness_reports_an_accepted_token_whose_claims_break_the_settings(string lifetime, int expiresIn, string expected)
    {
        // The oracle must be able to fail: a validator that accepted such a token would be caught here. Proven on the
        // independent check directly, since the real validator refuses these tokens before the check runs.
        var now = FuzzTimeProvider.Now.ToUnixTimeSeconds();
        var claims = string.Format(CultureInfo.InvariantCulture, lifetime, now + expiresIn, now + 29, now + 31);
        var token = FuzzTarget.SignHs256(
            """{"alg":"HS256","kid":"hs"}"""u8,
            Encoding.UTF8.GetBytes($$"""{"iss":"{{FuzzKeys.Issuer}}","aud":"{{FuzzKeys.Audience}}",{{claims}}}"""));

        var finding = Assert.Throws<FuzzFindingException>(() => IndependentCheck.Verify(token));

        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alg":"HS256","kid":"rs"}""", "kid names no key bound to HS256")]
    [InlineData("""{"alg":"HS256","kid":"hs","typ":"dpop+jwt"}""", "typ is not JWT or at+jwt")]
    [InlineData("""{"alg":"HS256","kid":"hs","crit":["exp"]}""", "header has crit")]
    [InlineData("""{"alg":"HS256","kid":"hs","cty":"jwt"}""", "nested token")]
    public void The_harness_reports_an_accepted_token_whose_header_breaks_a_rule(string header, string expected)
    {
        var now = FuzzTimeProvider.Now.ToUnixTimeSeconds();
        var token = FuzzTarget.SignHs256(
            Encoding.UTF8.GetBytes(header),
            Encoding.UTF8.GetBytes($$"""{"iss":"{{FuzzKeys.Issuer}}","aud":"{{FuzzKeys.Audience}}","exp":{{now + 60}}}"""));

        var finding = Assert.Throws<FuzzFindingException>(() => IndependentCheck.Verify(token));

        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_harness_accepts_what_the_validator_rightly_accepts()
    {
        // The other side of the checks above: a valid token of each algorithm passes the independent check.
        foreach (var name in new[] { "token-hs256", "token-rs256", "token-ps256", "token-es256", "token-hs256-no-kid" })
        {
            var token = Encoding.UTF8.GetString(AllSeeds.Single(s => s.Name == name).Input.AsSpan(1));

            IndependentCheck.Verify(token);
        }
    }

    [Fact]
    public void The_harness_reports_an_accepted_token_whose_signature_does_not_verify()
    {
        var token = FuzzTarget.SignHs256("""{"alg":"HS256","kid":"hs"}"""u8, "{}"u8);
        var forged = token[..^2] + (token[^2] == 'A' ? "BA" : "AA");

        var finding = Assert.Throws<FuzzFindingException>(() => IndependentCheck.Verify(forged));

        Assert.Contains("signature", finding.Message, StringComparison.Ordinal);
    }

    private static string ExpectedPrefix(byte mode) => (FuzzTarget.Mode)(mode & 3) switch
    {
        FuzzTarget.Mode.SignedJson => "signed: ",
        FuzzTarget.Mode.KeySet => "keyset: ",
        _ => "token: ",
    };

    private static IEnumerable<(string Name, string Outcome)> Outcomes() =>
        File.ReadLines(Path.Combine(Folder, "outcomes.tsv"))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.Split('\t'))
            .Select(fields => (fields[0], fields[1]));
}

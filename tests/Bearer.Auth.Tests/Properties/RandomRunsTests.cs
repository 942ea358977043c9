using Bearer.Auth.Tests.Support;
using CsCheck;

namespace Bearer.Auth.Tests.Properties;

/// <summary>The random suites are reproducible: CI draws the same cases every run, and a failure says how to replay it.</summary>
public sealed class RandomRunsTests
{
    [Fact]
    public void Two_runs_draw_the_same_cases()
    {
        var first = new List<string>();
        var second = new List<string>();
        var gen = Gen.String[Gen.Char.AlphaNumeric, 0, 40];

        RandomRuns.Check(gen, first.Add, cases: 50);
        RandomRuns.Check(gen, second.Add, cases: 50);

        Assert.Equal(first, second);
        Assert.True(first.Distinct(StringComparer.Ordinal).Count() > 40, "the cases should differ from one another");
    }

    [Fact]
    public void Without_the_variables_the_seed_is_the_fixed_one()
    {
        Assert.SkipWhen(
            Environment.GetEnvironmentVariable(RandomRuns.SeedVariable) is { Length: > 0 },
            $"{RandomRuns.SeedVariable} is set: this run draws from seed {RandomRuns.Seed}.");

        Assert.Equal(RandomRuns.FixedSeed, RandomRuns.Seed);
    }

    [Fact]
    public void A_failing_case_names_the_seed_and_the_input_that_reproduce_it()
    {
        var failure = Assert.Throws<InvalidOperationException>(() =>
            RandomRuns.Check(Gen.Int[0, 1000], value => Assert.True(value < 500), cases: 200));

        Assert.Contains($"{RandomRuns.SeedVariable}={RandomRuns.Seed}", failure.Message, StringComparison.Ordinal);
        Assert.Matches(@"Case \d+ of seed \d+ failed", failure.Message);
        Assert.IsType<Xunit.Sdk.TrueException>(failure.InnerException);
    }
}

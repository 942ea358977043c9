namespace Bearer.Auth.Tests.Docs;

/// <summary>
/// The README's quickstart is the code of samples/Quickstart, which every test run compiles (this project builds it),
/// so the quickstart compiles as printed, with no <c>using</c> beyond the web SDK's implicit ones.
/// </summary>
public sealed class ReadmeTests
{
    [Fact]
    public void The_quickstart_in_the_readme_is_the_quickstart_sample_word_for_word()
    {
        var readme = RepositoryFiles.Read("README.md");
        var program = RepositoryFiles.Read("samples/Quickstart/Program.cs").TrimEnd();

        Assert.Contains("```csharp\n" + program + "\n```", readme, StringComparison.Ordinal);
        Assert.DoesNotContain(program.Split('\n'), line => line.StartsWith("using ", StringComparison.Ordinal));
    }
}

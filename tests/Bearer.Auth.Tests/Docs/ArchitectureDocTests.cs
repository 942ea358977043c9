using System.Text.RegularExpressions;

namespace Bearer.Auth.Tests.Docs;

/// <summary>
/// docs/ARCHITECTURE.md names files in the order a request meets them; a rename or a removal that forgets the page
/// would leave a newcomer looking for a file that is not there.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void Every_source_file_the_architecture_page_names_exists()
    {
        var page = RepositoryFiles.Read("docs/ARCHITECTURE.md");
        var sources = Directory.GetFiles(RepositoryFiles.Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        var named = SourceFileName().Matches(page).Select(m => m.Value).Distinct().ToList();

        Assert.True(named.Count > 30, $"only {named.Count} file names found: the pattern no longer reads the page");
        Assert.All(named, name => Assert.True(
            sources.Exists(s => s == name || s.EndsWith("/" + name, StringComparison.Ordinal)),
            $"docs/ARCHITECTURE.md names {name}, which no source file is"));
    }

    // A path or a bare name ending in .cs; {A,B}.cs groups are left out (they are spelled out elsewhere on the page).
    [GeneratedRegex(@"(?<![\w/{,])[A-Za-z][\w/]*\.cs\b")]
    private static partial Regex SourceFileName();
}

using Bearer.Auth.Tests.Docs;

namespace Bearer.Auth.Tests.Packaging;

/// <summary>The README's Install section packs the way PackedLibrary does and names the version the project packs.</summary>
public sealed class InstallInstructionsTests
{
    [Fact]
    public void The_install_section_packs_and_adds_the_version_the_project_declares()
    {
        var readme = RepositoryFiles.Read("README.md");
        var start = readme.IndexOf("\n## Install\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Install' section.");
        var install = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];

        Assert.Contains("dotnet add package Bearer.Auth\n", install, StringComparison.Ordinal);
        Assert.Contains($"dotnet pack src/Bearer.Auth -c Release -o ./artifacts    # artifacts/Bearer.Auth.{PackedLibrary.Version}.nupkg", install, StringComparison.Ordinal);
        Assert.Contains($"dotnet add package Bearer.Auth --version {PackedLibrary.Version}\n", install, StringComparison.Ordinal);
        Assert.Contains($"~/.nuget/packages/bearer.auth/{PackedLibrary.Version}", install, StringComparison.Ordinal);
    }
}

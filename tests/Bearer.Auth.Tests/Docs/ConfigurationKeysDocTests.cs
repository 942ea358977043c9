namespace Bearer.Auth.Tests.Docs;

/// <summary>The README's "Configuration keys" section names every key the scheme's section is read for.</summary>
public sealed class ConfigurationKeysDocTests
{
    [Fact]
    public void Every_configuration_key_is_in_the_readme()
    {
        var readme = RepositoryFiles.Read("README.md");
        var start = readme.IndexOf("### Configuration keys", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no 'Configuration keys' section.");
        var end = readme.IndexOf("\n#", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        foreach (var key in ConfigurationKeys.All)
        {
            var segments = key.Split(':');
            var name = segments.Last(s => s != "*");

            // RemoteKeys:* are documented in their own table, which the section links to.
            var text = segments[0] == "RemoteKeys" ? readme : section;
            Assert.True(text.Contains(name, StringComparison.Ordinal), $"README does not document '{key}'.");
        }
    }
}

namespace Bearer.Auth.Tests.Docs;

/// <summary>Files of the repository the tests read, found from the test's output folder up to the solution.</summary>
internal static class RepositoryFiles
{
    internal static string Root { get; } = FindRoot();

    internal static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath)).ReplaceLineEndings("\n");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bearer.Auth.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Bearer.Auth.sln was not found above " + AppContext.BaseDirectory);
    }
}

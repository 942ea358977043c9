namespace MvcSample.Tests.Support;

/// <summary>
/// What a fresh clone of the repository holds: every tracked file (as it is in the working tree, so uncommitted
/// changes count), committed in a new git repository in a temporary folder, beside an empty home folder. Deleted
/// with everything in it when disposed.
/// </summary>
internal sealed class FreshClone : IDisposable
{
    private static readonly Dictionary<string, string?> GitEnvironment = new()
    {
        ["GIT_AUTHOR_NAME"] = "test",
        ["GIT_AUTHOR_EMAIL"] = "test@localhost",
        ["GIT_COMMITTER_NAME"] = "test",
        ["GIT_COMMITTER_EMAIL"] = "test@localhost",
    };

    private readonly string _folder;

    private FreshClone(string folder)
    {
        _folder = folder;
        Repository = Directory.CreateDirectory(Path.Combine(folder, "repo")).FullName;
        Home = Directory.CreateDirectory(Path.Combine(folder, "home")).FullName;
    }

    /// <summary>The clone's root folder.</summary>
    internal string Repository { get; }

    /// <summary>An empty folder to use as HOME, so user secrets and tool state stay out of the real one.</summary>
    internal string Home { get; }

    /// <summary>
    /// Copies the repository's tracked files. Without git, or outside a git work tree (a source archive), the test is
    /// skipped with that reason, or fails under BEARER_AUTH_REQUIRE_INTEGRATION=1 (as in CI).
    /// </summary>
    internal static async Task<FreshClone> CreateAsync()
    {
        await RequireGitWorkTreeAsync(FindRepositoryRoot());
        var clone = new FreshClone(Directory.CreateTempSubdirectory("bearer-auth-clone-").FullName);
        try
        {
            var root = FindRepositoryRoot();
            var tracked = await GitAsync(root, "ls-files", "-z");
            foreach (var file in tracked.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var source = Path.Combine(root, file);
                if (File.Exists(source))
                {
                    var target = Path.Combine(clone.Repository, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(source, target);
                }
            }

            await GitAsync(clone.Repository, "init", "--quiet");
            // --force: a tracked file stays tracked even when .gitignore names it, as in a real clone.
            await GitAsync(clone.Repository, "-c", "core.autocrlf=false", "add", "--all", "--force");
            await GitAsync(clone.Repository, "-c", "commit.gpgsign=false", "commit", "--quiet", "--message", "fresh clone");
            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    /// <summary><c>git status --porcelain</c> in the clone, with <c>--ignored</c> when asked: empty when nothing changed.</summary>
    internal async Task<string> StatusAsync(bool ignored = false) =>
        (await GitAsync(Repository, ignored ? ["status", "--porcelain", "--ignored"] : ["status", "--porcelain"])).Output.Trim();

    public void Dispose()
    {
        foreach (var file in Directory.EnumerateFiles(_folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static async Task RequireGitWorkTreeAsync(string root)
    {
        string? missing;
        try
        {
            var inside = await ExternalCommand.RunAsync("git", root, GitEnvironment, "rev-parse", "--is-inside-work-tree");
            missing = inside.ExitCode == 0 ? null : $"{root} is not a git work tree: {inside.Error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            missing = $"git could not be started: {e.Message}";
        }

        if (missing is not null)
        {
            if (Environment.GetEnvironmentVariable("BEARER_AUTH_REQUIRE_INTEGRATION") == "1")
            {
                Assert.Fail(missing);
            }

            Assert.Skip(missing);
        }
    }

    private static async Task<CommandResult> GitAsync(string workingDirectory, params string[] arguments)
    {
        var result = await ExternalCommand.RunAsync("git", workingDirectory, GitEnvironment, arguments);
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result}");
        return result;
    }

    private static string FindRepositoryRoot()
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

using System.Diagnostics;
using System.Xml.Linq;
using Bearer.Auth.Tests.Docs;

namespace Bearer.Auth.Tests.Packaging;

/// <summary>
/// Runs the README's pack command once for the test class (<c>dotnet pack src/Bearer.Auth -c Release -o …</c>) into a
/// temporary folder, with its own build folders (<c>--artifacts-path</c>) so it never touches the obj/ and bin/ of the
/// build that is running these tests. Deleted when the class is done.
/// </summary>
public sealed class PackedLibrary : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bearer-auth-pack-");

    /// <summary>The package version the project declares (its <c>Version</c> property).</summary>
    public static string Version { get; } =
        XDocument.Parse(RepositoryFiles.Read("src/Bearer.Auth/Bearer.Auth.csproj")).Descendants("Version").Single().Value;

    /// <summary>Everything <c>dotnet pack</c> wrote to its output folder, by file name.</summary>
    public IReadOnlyList<string> Files { get; private set; } = [];

    public string PackagePath => Path.Combine(_folder.FullName, "out", $"Bearer.Auth.{Version}.nupkg");

    public string SymbolPackagePath => Path.Combine(_folder.FullName, "out", $"Bearer.Auth.{Version}.snupkg");

    public async ValueTask InitializeAsync()
    {
        var output = Path.Combine(_folder.FullName, "out");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // No build server or node outlives the command (it would hold the redirected output open).
            ArgumentList = { "pack", "src/Bearer.Auth", "-c", "Release", "-o", output, "--artifacts-path", Path.Combine(_folder.FullName, "build"), "--disable-build-servers", "-nologo" },
        };
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(Timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet pack did not finish within {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed with exit code {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }

        Files = [.. Directory.EnumerateFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    public ValueTask DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }
}

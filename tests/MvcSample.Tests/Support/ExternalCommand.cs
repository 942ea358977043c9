using System.Diagnostics;

namespace MvcSample.Tests.Support;

/// <summary>The outcome of a process the test ran: its exit code and everything it printed.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string Error)
{
    /// <summary>The value after <c>"{label}: "</c> on the first line of the output that starts with it.</summary>
    internal string? Line(string label) =>
        Output.Split('\n').Select(line => line.TrimEnd('\r')).FirstOrDefault(line => line.StartsWith(label + ": ", StringComparison.Ordinal))?[(label.Length + 2)..];

    public override string ToString() => $"exit code {ExitCode}\n{Output}\n{Error}";
}

/// <summary>Runs <c>git</c> and <c>dotnet</c> as a person would in a terminal, with the environment the test chooses.</summary>
internal static class ExternalCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The <c>dotnet</c> that runs the tests (the SDK sets DOTNET_HOST_PATH for its child processes).</summary>
    internal static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";

    internal static async Task<CommandResult> RunAsync(string fileName, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` hands its MSBuild settings down; a command of our own evaluates projects afresh.
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new CommandResult(process.ExitCode, await output, await error);
    }
}

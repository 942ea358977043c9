using System.Diagnostics;
using System.Text;
using Bearer.Auth.Tests.Support;

namespace MvcSample.Tests.Support;

/// <summary>
/// The built sample run as its users and the acceptance tests run it: <c>dotnet MvcSample.dll --urls
/// http://127.0.0.1:&lt;port&gt;</c>, Development environment, configuration only from environment variables the
/// test sets. Stopped (killed) when disposed; what it printed is kept for failure messages.
/// </summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>The port it listens on, on 127.0.0.1.</summary>
    internal int Port { get; }

    /// <summary>A client whose base address is the sample.</summary>
    internal HttpClient Client { get; }

    /// <summary>Everything the sample printed so far.</summary>
    internal string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the sample with <paramref name="environment"/> (e.g. <c>ConnectionStrings__Redis</c>) and waits until it answers.</summary>
    internal static async Task<SampleProcess> StartAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var folder = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(ExternalCommand.Dotnet)
        {
            WorkingDirectory = SampleProjectFolder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "MvcSample.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The sample did not start.");
        var sample = new SampleProcess(process, port);
        process.OutputDataReceived += (_, line) => sample.Append(line.Data);
        process.ErrorDataReceived += (_, line) => sample.Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await sample.WaitUntilAnsweringAsync();
        return sample;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The sample exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/.well-known/jwks.json");
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The sample did not answer on port {Port} within 60 s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static string SampleProjectFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Bearer.Auth.sln")))
        {
            folder = folder.Parent;
        }

        return folder is null ? AppContext.BaseDirectory : Path.Combine(folder.FullName, "samples", "MvcSample");
    }

}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> on 127.0.0.1 and a free port, with its data in a temporary folder (append-only file on,
/// so a restart keeps what was written), stopped and deleted when disposed. Without the binary on PATH the test is
/// skipped with that reason, or fails under <c>BEARER_AUTH_REQUIRE_INTEGRATION=1</c> (as in CI, whose
/// <c>.ci/run</c> installs Debian's <c>redis-server</c>).
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _folder;
    private Process? _process;

    private RedisServer(string binary, string folder, int port)
    {
        _binary = binary;
        _folder = folder;
        Port = port;
    }

    /// <summary>The port it listens on (kept across <see cref="RestartAsync"/>).</summary>
    internal int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    internal string ConnectionString => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>Starts a server, or skips (fails in CI) when <c>redis-server</c> is not on PATH.</summary>
    internal static async Task<RedisServer> StartAsync()
    {
        var binary = FindOnPath("redis-server");
        if (binary is null)
        {
            const string Missing = "redis-server is not on PATH: install it (Debian: apt-get install -y redis-server) to run the Redis integration tests.";
            if (Environment.GetEnvironmentVariable("BEARER_AUTH_REQUIRE_INTEGRATION") == "1")
            {
                Assert.Fail(Missing);
            }

            Assert.Skip(Missing);
        }

        var server = new RedisServer(binary, Directory.CreateTempSubdirectory("bearer-auth-redis-").FullName, LoopbackPorts.Free());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills the server at once (no shutdown save): clients see the connection drop.</summary>
    internal async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same port and data folder (the append-only file brings the data back).</summary>
    internal Task RestartAsync() => StartProcessAsync();

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the temporary folder is left to the OS.
        }
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_binary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder,
        };
        foreach (var argument in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--dir", _folder, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
            "--protected-mode", "yes", "--daemonize", "no", "--loglevel", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Ready when it accepts a PING.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}.");
            }

            if (await AnswersPingAsync())
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"redis-server did not answer on 127.0.0.1:{Port} within 20 s.");
            }

            await Task.Delay(50);
        }
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return read >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }


    private static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

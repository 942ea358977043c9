using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// A redis-server from PATH on 127.0.0.1 and a free port, data in memory only (no append-only file, no snapshots), so
/// the numbers are the store's and the network's, not the disk's. Killed when disposed.
/// </summary>
internal sealed class BenchRedisServer : IDisposable
{
    private readonly Process _process;

    private BenchRedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    public static BenchRedisServer Start()
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server (from PATH) did not start.");
        process.BeginOutputReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new BenchRedisServer(process, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        process.Kill();
        throw new TimeoutException($"redis-server did not listen on 127.0.0.1:{port}.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}

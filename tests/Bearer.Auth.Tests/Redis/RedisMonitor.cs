using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// Watches a server with <c>MONITOR</c>: every command it runs, each line naming the client that sent it, or
/// <c>lua</c> for a command a script ran. Tests read the commands a store sent over the network, not what its
/// scripts did inside the server.
/// </summary>
internal sealed class RedisMonitor : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;

    private RedisMonitor(TcpClient client, StreamReader reader)
    {
        _client = client;
        _reader = reader;
    }

    internal static async Task<RedisMonitor> StartAsync(int port)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync("MONITOR\r\n"u8.ToArray());
        var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal("+OK", await reader.ReadLineAsync());
        return new RedisMonitor(client, reader);
    }

    /// <summary>
    /// The commands clients sent (not those scripts ran) until <paramref name="marker"/>, a connection that is not
    /// the one watched, says it is done: its <c>ECHO</c> ends the list and is not in it.
    /// </summary>
    internal async Task<List<string>> CommandsSentUntilAsync(IConnectionMultiplexer marker)
    {
        var end = $"end-{Guid.NewGuid():N}";
        await marker.GetDatabase().ExecuteAsync("ECHO", end);
        var sent = new List<string>();
        while (await _reader.ReadLineAsync() is { } line)
        {
            if (line.Contains(end, StringComparison.Ordinal))
            {
                return sent;
            }

            // "+1717000000.123456 [0 127.0.0.1:50000] "EVALSHA" "…" …": the client sits between the brackets.
            var client = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)];
            if (!client.EndsWith(" lua", StringComparison.Ordinal))
            {
                sent.Add(line[(line.IndexOf(']', StringComparison.Ordinal) + 2)..]);
            }
        }

        throw new InvalidOperationException("MONITOR ended before the marker.");
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 and a free port to a server on 127.0.0.1, for partition tests: <see cref="Cut"/> closes
/// every relayed connection and refuses new ones (each is closed as soon as accepted), as a network partition does to
/// the client behind it; <see cref="Stall"/> keeps the connections open but drops every byte, as a partition that
/// sends no reset does (the client sees a connection that never answers); <see cref="Restore"/> relays again.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private volatile bool _cut;
    private volatile bool _stalled;

    internal TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to.</summary>
    internal int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Restore"/>.</summary>
    internal void Cut()
    {
        _cut = true;
        foreach (var socket in _open.Keys)
        {
            Close(socket);
        }
    }

    /// <summary>Keeps every connection open and accepts new ones, but drops every byte, both ways, until <see cref="Restore"/>.</summary>
    internal void Stall() => _stalled = true;

    /// <summary>
    /// Relays again. After <see cref="Stall"/> the open connections are closed first: bytes were dropped from their
    /// streams, so the client must reconnect, as it would after a real partition once its timeouts fire.
    /// </summary>
    internal void Restore()
    {
        if (_stalled)
        {
            _cut = true;
            foreach (var socket in _open.Keys)
            {
                Close(socket);
            }

            _stalled = false;
        }

        _cut = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stopping.Token);
            if (_cut)
            {
                Close(client);
                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _open[client] = 0;
        _open[server] = 0;
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
            await Task.WhenAny(PumpAsync(client, server), PumpAsync(server, client));
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The other side went away, or the relay was cut.
        }
        finally
        {
            Close(client);
            Close(server);
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (read == 0)
                {
                    return;
                }

                if (_stalled)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stopping.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed by Cut, by the other pump, or by either end.
        }
    }

    private void Close(Socket socket)
    {
        _open.TryRemove(socket, out _);
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Free ports on 127.0.0.1 for servers the tests (and the benchmarks) start as processes, which cannot bind port 0 and
/// report it back. Linked into MvcSample.Tests and the benchmark project.
/// </summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listens on now (the OS picks it; the window until the server binds it is tiny).</summary>
    internal static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

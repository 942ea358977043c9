using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MvcSample.Tests.Support;

/// <summary>
/// Another site for the browser tests' attacks: a Kestrel server at <c>http://localhost:&lt;port&gt;</c> serving the
/// pages it is given. Against the sample at <c>http://127.0.0.1:&lt;port&gt;</c> it is a different site (another
/// host), so the browser treats its requests as cross-site. Stopped when disposed.
/// </summary>
internal sealed class OtherSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtherSite(WebApplication app, int port)
    {
        _app = app;
        Origin = $"http://localhost:{port}";
    }

    /// <summary>The site's origin, <c>http://localhost:&lt;port&gt;</c>.</summary>
    internal string Origin { get; }

    /// <summary>Serves each of <paramref name="pages"/> (path → HTML) until disposed.</summary>
    internal static async Task<OtherSite> StartAsync(IReadOnlyDictionary<string, string> pages)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var port = LoopbackPorts.Free();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        foreach (var (path, html) in pages)
        {
            app.MapGet(path, () => Results.Content(html, "text/html"));
        }

        await app.StartAsync();
        return new OtherSite(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

}

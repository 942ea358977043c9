using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MvcSample.Tests.Support;

/// <summary>
/// A minimal OpenID Provider on Kestrel at 127.0.0.1 (port 0): discovery at
/// <c>/.well-known/openid-configuration</c> naming its own address as issuer, and a JWKS. Stopped on dispose.
/// </summary>
internal sealed class LoopbackProvider : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackProvider(WebApplication app, string authority)
    {
        _app = app;
        Authority = authority;
    }

    /// <summary>The provider's address, which is also its issuer.</summary>
    internal string Authority { get; }

    internal static async Task<LoopbackProvider> StartAsync(string jwksJson)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
        {
            var authority = $"{context.Request.Scheme}://{context.Request.Host}";
            return Results.Text($$"""{"issuer":"{{authority}}","jwks_uri":"{{authority}}/jwks"}""", "application/json");
        });
        app.MapGet("/jwks", () => Results.Text(jwksJson, "application/json"));
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LoopbackProvider(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

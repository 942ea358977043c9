using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// A TestServer host with the handler and a tiny router: <c>/protected</c> (any authenticated caller),
/// <c>/admin</c> (role <c>admin</c>), <c>/forbidden</c> (always forbids), <c>/whoami</c> (claims as JSON).
/// </summary>
internal sealed class BearerTestServer : IAsyncDisposable
{
    private readonly IHost _host;

    private BearerTestServer(IHost host)
    {
        _host = host;
        Client = host.GetTestClient();
    }

    internal HttpClient Client { get; }

    internal IServiceProvider Services => _host.Services;

    internal static async Task<BearerTestServer> StartAsync(Action<BearerJwtOptions> configure, Action<IServiceCollection>? services = null)
    {
        var host = new HostBuilder()
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddAuthorization();
                    s.AddBearerJwt(configure);
                    services?.Invoke(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseEndpoints(endpoints =>
                    {
                        endpoints.MapGet("/protected", () => "ok").RequireAuthorization();
                        endpoints.MapGet("/admin", () => "admin").RequireAuthorization(p => p.RequireRole("admin"));
                        endpoints.MapGet("/forbidden", (HttpContext c) => c.ForbidAsync()).RequireAuthorization();
                        endpoints.MapGet("/whoami", (ClaimsPrincipal user) => Results.Json(new
                        {
                            name = user.Identity?.Name,
                            claims = user.Claims.Select(c => new[] { c.Type, c.Value }).ToArray(),
                        })).RequireAuthorization();
                    });
                }))
            .Build();
        await host.StartAsync();
        return new BearerTestServer(host);
    }

    internal async Task<HttpResponseMessage> GetAsync(string path, string? token = null, Action<HttpRequestMessage>? edit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        edit?.Invoke(request);
        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>The single <c>WWW-Authenticate</c> value of a response, or null.</summary>
    internal static string? Challenge(HttpResponseMessage response) =>
        response.Headers.TryGetValues("WWW-Authenticate", out var values) ? string.Join("|", values) : null;

    internal static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }
}

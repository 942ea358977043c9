using System.Net;
using System.Security.Claims;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// End to end: a TestServer app whose scheme is configured only through configuration keys (<c>Authority</c>),
/// fetching keys over real HTTP from the loopback provider, pre-warmed by the hosted service at start-up.
/// </summary>
public sealed class RemoteKeyPipelineTests : IAsyncLifetime
{
    private readonly TestKey _k1 = new("k1");
    private readonly TestKey _k2 = new("k2");
    private JwksTestServer _provider = null!;

    public async ValueTask InitializeAsync()
    {
        _provider = await JwksTestServer.StartAsync();
        _provider.Publish(_k1);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _k1.Dispose();
        _k2.Dispose();
    }

    private async Task<IHost> StartAppAsync(Dictionary<string, string?> configuration)
    {
        var host = new HostBuilder()
            .ConfigureAppConfiguration(c => c.AddInMemoryCollection(configuration))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddRouting();
                    s.AddAuthorization();
                    s.AddBearerJwt();
                    s.AddHealthChecks().AddBearerJwt();
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseEndpoints(e =>
                    {
                        e.MapGet("/protected", (ClaimsPrincipal user) => user.FindFirst("iss")?.Value ?? "ok").RequireAuthorization();
                        e.MapHealthChecks("/health");
                    });
                }))
            .Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static async Task<HttpResponseMessage> GetAsync(IHost host, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await host.GetTestClient().SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Authority_from_configuration_prewarms_validates_and_accepts_a_rotated_key_on_its_first_request()
    {
        using var host = await StartAppAsync(new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = _provider.BaseUrl,
            ["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false",
            ["Authentication:Schemes:Bearer:ValidAudience"] = TestJwt.Audience,
        });

        // The hosted service fetched the keys before the first request.
        Assert.Equal(1, _provider.JwksRequests);

        var ok = await GetAsync(host, "/protected", _k1.Token(_provider.Issuer, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, _provider.JwksRequests);

        _provider.Publish(_k1, _k2);
        var rotated = await GetAsync(host, "/protected", _k2.Token(_provider.Issuer, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(2, _provider.JwksRequests);

        var wrongIssuer = await GetAsync(host, "/protected", _k1.Token("https://elsewhere.example", DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongIssuer.StatusCode);
        Assert.Contains("reason=\"issuer_invalid\"", wrongIssuer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var health = await GetAsync(host, "/health", null);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Provider_down_at_start_does_not_fail_start_up_and_requests_get_503_key_source_unavailable()
    {
        _provider.Mode = ServerMode.Unavailable;
        using var host = await StartAppAsync(new()
        {
            ["Authentication:Schemes:Bearer:Authorities:0:Authority"] = _provider.BaseUrl,
            ["Authentication:Schemes:Bearer:Authorities:0:RequireHttpsMetadata"] = "false",
            ["Authentication:Schemes:Bearer:ValidAudience"] = TestJwt.Audience,
        });

        var response = await GetAsync(host, "/protected", _k1.Token(_provider.Issuer, DateTimeOffset.UtcNow));

        // Not known to be bad: 503 with a time to retry, no challenge that would make the client drop the token.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("\"reason\":\"key_source_unavailable\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Https_required_by_default_stops_start_up_naming_the_setting()
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAppAsync(new()
        {
            ["Authentication:Schemes:Bearer:Authority"] = _provider.BaseUrl,
            ["Authentication:Schemes:Bearer:ValidAudience"] = TestJwt.Audience,
        }));

        Assert.Contains("Authentication:Schemes:Bearer:Authority", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _provider.MetadataRequests);
    }
}

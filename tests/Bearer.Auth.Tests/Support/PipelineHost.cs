using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// A TestServer host for the handler-level tests: configuration from an in-memory collection, a fake clock at
/// <see cref="Now"/>, a fake log collector, and a tiny router: <c>/protected</c>, <c>/admin</c> (policy
/// <c>RequireRole("admin")</c>), <c>/admin-attribute</c> (<c>[Authorize(Roles = "admin")]</c>), <c>/forbidden</c>,
/// <c>/whoami</c> (name, claim types and claims as JSON), <c>/hub/connect</c> (for query tokens) and <c>/other</c>
/// (authenticated by the scheme named <c>Other</c> only).
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    /// <summary>The instant every host's clock shows.</summary>
    internal static readonly DateTimeOffset Now = ValidatorFixture.Now;

    /// <summary>
    /// The HS256 key <see cref="UseDefaults"/> configures. Fixed, not random: theory rows holding tokens are built at
    /// discovery, which may run in another process than the tests.
    /// </summary>
    internal static readonly byte[] Key = SHA256.HashData("Bearer.Auth pipeline test key"u8);

    private readonly IHost _host;

    private PipelineHost(IHost host, FakeLogCollector logs)
    {
        _host = host;
        Logs = logs;
        Client = host.GetTestClient();
    }

    internal HttpClient Client { get; }

    internal FakeLogCollector Logs { get; }

    internal IServiceProvider Services => _host.Services;

    /// <summary>Issuer, audience and the HS256 <see cref="Key"/>: what most tests need.</summary>
    internal static void UseDefaults(BearerJwtOptions options)
    {
        options.ValidIssuer = TestJwt.Issuer;
        options.ValidAudience = TestJwt.Audience;
        options.VerificationKeys.Add(VerificationKey.Symmetric(Key));
    }

    /// <summary>A valid HS256 token signed with <see cref="Key"/>, with optional extra payload members.</summary>
    internal static string Token(string? extraPayload = null, string? headerJson = null) =>
        TestJwt.Hs(Key, TestJwt.Payload(Now, extraPayload), headerJson: headerJson);

    internal static Task<PipelineHost> StartAsync(Action<BearerJwtOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        StartAsync(new PipelineSetup { Options = configure ?? UseDefaults, Services = services });

    /// <summary>Starts a host with <see cref="UseDefaults"/> and then <paramref name="configure"/>.</summary>
    internal static Task<PipelineHost> StartWithDefaultsAsync(Action<BearerJwtOptions> configure, Action<IServiceCollection>? services = null) =>
        StartAsync(
            o =>
            {
                UseDefaults(o);
                configure(o);
            },
            services);

    internal static async Task<PipelineHost> StartAsync(PipelineSetup setup)
    {
        var logs = new FakeLogCollector();
        var host = Build(setup, logs);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new PipelineHost(host, logs);
    }

    /// <summary>Builds (without starting) a host, for tests that expect start-up to fail.</summary>
    internal static IHost Build(PipelineSetup setup, FakeLogCollector? logs = null) =>
        new HostBuilder()
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(setup.Configuration ?? new Dictionary<string, string?>()))
            .ConfigureLogging(logging => logging.AddProvider(new FakeLoggerProvider(logs ?? new FakeLogCollector())))
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(s =>
                {
                    s.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
                    s.AddRouting();
                    s.AddAuthorization();
                    if (setup.Authentication is { } authentication)
                    {
                        authentication(s);
                    }
                    else
                    {
                        s.AddBearerJwt(setup.Options);
                    }

                    setup.Services?.Invoke(s);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseEndpoints(endpoints =>
                    {
                        MapEndpoints(endpoints);
                        setup.Endpoints?.Invoke(endpoints);
                    });
                }))
            .Build();

    internal async Task<PipelineResponse> GetAsync(string path, string? token = null, Action<HttpRequestMessage>? edit = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        edit?.Invoke(request);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        return await PipelineResponse.ReadAsync(response);
    }

    /// <summary>Sends <paramref name="authorization"/> as the raw <c>Authorization</c> header value(s).</summary>
    internal Task<PipelineResponse> GetWithAuthorizationAsync(string path, params string[] authorization) =>
        GetAsync(path, edit: request => request.Headers.TryAddWithoutValidation("Authorization", authorization));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.StopAsync();
        _host.Dispose();
    }

    private static void MapEndpoints(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/protected", () => "ok").RequireAuthorization();
        endpoints.MapGet("/admin", () => "admin").RequireAuthorization(p => p.RequireRole("admin"));
        endpoints.MapGet("/admin-attribute", [Authorize(Roles = "admin")] () => "admin");
        endpoints.MapGet("/forbidden", (HttpContext c) => c.ForbidAsync()).RequireAuthorization();
        endpoints.MapGet("/hub/connect", () => "hub").RequireAuthorization();
        endpoints.MapGet("/other", () => "other").RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = "Other" });
        endpoints.MapGet("/whoami", (ClaimsPrincipal user) =>
        {
            var identity = (ClaimsIdentity)user.Identity!;
            return Results.Json(new
            {
                name = identity.Name,
                nameClaimType = identity.NameClaimType,
                roleClaimType = identity.RoleClaimType,
                authenticationType = identity.AuthenticationType,
                claims = user.Claims.Select(c => new[] { c.Type, c.Value, c.ValueType }).ToArray(),
            });
        }).RequireAuthorization();
    }
}

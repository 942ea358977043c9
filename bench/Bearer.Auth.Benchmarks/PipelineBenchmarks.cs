using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Benchmarks;

/// <summary>
/// One request through TestServer (routing, authentication, authorization, endpoint) with HS256, so the handlers'
/// own cost is not hidden behind RSA. <c>Anonymous</c> (no Authorization header, <c>AllowAnonymous</c> endpoint) is
/// the baseline; the auth overhead is <c>Protected − Anonymous</c> for each handler.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class PipelineBenchmarks
{
    /// <summary>Bearer.Auth with the repeat-token cache off: validation proper on every request.</summary>
    internal const string Ours = "Bearer.Auth";

    /// <summary>Bearer.Auth with its defaults (repeat-token cache on), on a token it has seen before.</summary>
    internal const string OursCached = "Bearer.Auth cache";

    /// <summary>Microsoft.AspNetCore.Authentication.JwtBearer with the equivalent settings.</summary>
    internal const string JwtBearer = "JwtBearer";

    /// <summary><see cref="PipelineFloorHandler"/>: what any handler pays, with no token work at all.</summary>
    internal const string Floor = "Floor";

    private BenchTokens _tokens = null!;
    private IHost _host = null!;
    private HttpClient _client = null!;
    private AuthenticationHeaderValue _authorization = null!;

    [Params(Ours, OursCached, JwtBearer, Floor)]
    public string Handler { get; set; } = "Bearer.Auth";

    [GlobalSetup]
    public void Setup()
    {
        _tokens = BenchTokens.Create("HS256");
        _authorization = new AuthenticationHeaderValue("Bearer", _tokens.Token);
        _host = BuildHost(Handler, _tokens);
        _host.Start();
        _client = _host.GetTestClient();
        BenchSetup.Check(Send("/anonymous", null).GetAwaiter().GetResult() == 200, "anonymous endpoint");
        BenchSetup.Check(Send("/api/me", _authorization).GetAwaiter().GetResult() == 200, Handler + " protected endpoint");
        BenchSetup.Check(Send("/api/admin", _authorization).GetAwaiter().GetResult() == 200, Handler + " admin endpoint");
        BenchSetup.Check(Send("/api/me", null).GetAwaiter().GetResult() == 401, Handler + " challenge");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Dispose();
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
        _tokens.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<int> Anonymous() => Send("/anonymous", null);

    [Benchmark]
    public Task<int> Protected() => Send("/api/me", _authorization);

    [Benchmark]
    public Task<int> Admin() => Send("/api/admin", _authorization);

    private async Task<int> Send(string path, AuthenticationHeaderValue? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = authorization;
        using var response = await _client.SendAsync(request).ConfigureAwait(false);
        return (int)response.StatusCode;
    }

    /// <summary>How many tokens the host's repeat-token cache holds (0 when it has none).</summary>
    internal static Func<int> RepeatTokens(IHost host)
    {
        var options = host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme);
        return () => options.Validator!.RepeatTokens?.Count ?? 0;
    }

    internal static IHost BuildHost(string handler, BenchTokens tokens) =>
        new HostBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureWebHost(web => web
                .UseTestServer()
                .ConfigureServices(services =>
                {
                    services.AddRouting();
                    services.AddAuthorization();
                    if (handler == Floor)
                    {
                        services.AddAuthentication(PipelineFloorHandler.SchemeName)
                            .AddScheme<PipelineFloorOptions, PipelineFloorHandler>(PipelineFloorHandler.SchemeName, options =>
                            {
                                options.Authorization = "Bearer " + tokens.Token;
                                options.Claims = BenchSetup.OurClaims(tokens, out var nameClaimType, out var roleClaimType);
                                options.NameClaimType = nameClaimType;
                                options.RoleClaimType = roleClaimType;
                            });
                    }
                    else if (handler == JwtBearer)
                    {
                        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                            .AddJwtBearer(options =>
                            {
                                // Claim types kept as the token names them, like ours: the same principal shape.
                                options.MapInboundClaims = false;
                                options.TokenValidationParameters = BenchSetup.MicrosoftParameters(tokens);
                                options.TokenValidationParameters.NameClaimType = "name";
                                options.TokenValidationParameters.RoleClaimType = "role";
                            });
                    }
                    else
                    {
                        services.AddBearerJwt(options =>
                        {
                            options.ValidIssuer = BenchTokens.Issuer;
                            options.ValidAudience = BenchTokens.Audience;
                            options.ClockSkew = BenchSetup.ClockSkew;
                            options.VerificationKeys.Add(tokens.OurKey);

                            // "Bearer.Auth" is validation proper (cache off); "Bearer.Auth cache" is the default.
                            options.RepeatTokenCacheSize = handler == OursCached ? BearerJwtDefaults.RepeatTokenCacheSize : 0;
                        });
                    }
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseEndpoints(endpoints =>
                    {
                        endpoints.MapGet("/anonymous", () => "ok").AllowAnonymous();
                        endpoints.MapGet("/api/me", (HttpContext context) => context.User.Identity?.Name ?? string.Empty).RequireAuthorization();
                        endpoints.MapGet("/api/admin", (HttpContext context) => context.User.Identity?.Name ?? string.Empty)
                            .RequireAuthorization(policy => policy.RequireRole("admin"));
                    });
                }))
            .Build();
}

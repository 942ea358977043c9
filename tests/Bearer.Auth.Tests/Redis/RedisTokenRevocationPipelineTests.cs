using System.Diagnostics;
using System.Net;
using Bearer.Auth.Redis;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// <c>AddBearerJwtRedis</c> in a whole application: the handler checks tokens against the Redis store (401
/// <c>token_revoked</c>, also for a revocation made by another instance), answers 503 <c>revocation_unavailable</c>
/// with <c>Retry-After</c> once Redis has been gone past the bound, reports it in the health check, and refuses to start
/// with out-of-range settings.
/// </summary>
public sealed class RedisTokenRevocationPipelineTests
{
    private const string RevokedChallenge = "Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\", reason=\"token_revoked\"";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_revoked_token_gets_401_token_revoked_and_with_redis_gone_past_the_bound_every_token_gets_503()
    {
        await using var server = await RedisServer.StartAsync();
        await using var host = await StartAsync(server);
        var token = PipelineHost.Token("\"jti\":\"t-1\"");
        var other = PipelineHost.Token("\"jti\":\"t-2\"");

        // Start-up waited for Redis to confirm the view: the first request is checked, not refused.
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", token)).Status);
        var store = host.Services.GetRequiredService<ITokenRevocationStore>();
        Assert.IsType<RedisTokenRevocationStore>(store);
        Assert.Same(store, host.Services.GetRequiredService<ITokenRevocationCheck>());

        await store.RevokeTokenAsync("t-1", PipelineHost.Now.AddHours(1), Ct);

        var refused = await host.GetAsync("/protected", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(RevokedChallenge, refused.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", other)).Status);

        await server.KillAsync();

        var unavailable = await UntilStatusAsync(host, other, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
        Assert.Null(unavailable.WwwAuthenticate);
        Assert.Equal("5", unavailable.Header("Retry-After"));
        Assert.Equal(ProblemJson.For(503, TokenFailureReason.RevocationUnavailable.ToDescription(), reason: "revocation_unavailable"), unavailable.Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await host.GetAsync("/protected", token)).Status);
    }

    [Fact]
    public async Task A_token_revoked_on_one_application_instance_is_refused_by_another()
    {
        await using var server = await RedisServer.StartAsync();
        await using var first = await StartAsync(server);
        await using var second = await StartAsync(server);
        var token = PipelineHost.Token("\"sid\":\"s-1\"");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/protected", token)).Status);

        await first.Services.GetRequiredService<ITokenRevocationStore>().RevokeSessionAsync("s-1", PipelineHost.Now.AddHours(1), Ct);

        var refused = await UntilStatusAsync(second, token, HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        Assert.Equal(RevokedChallenge, refused.WwwAuthenticate);
    }

    [Fact]
    public async Task The_health_check_is_healthy_while_redis_confirms_the_view_and_unhealthy_past_the_bound()
    {
        await using var server = await RedisServer.StartAsync();
        await using var host = await StartAsync(server, services => services.AddHealthChecks().AddBearerJwtRedisRevocation());
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var healthy = (await health.CheckHealthAsync(Ct)).Entries["bearer-jwt-redis-revocation"];
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(true, healthy.Data["connected"]);
        Assert.Equal(0, healthy.Data["in_flight_writes"]);
        Assert.InRange((long)healthy.Data["view_age_ms"], 0, 1000);

        await server.KillAsync();

        var watch = Stopwatch.StartNew();
        HealthReportEntry entry;
        do
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "Still not unhealthy after 30 s.");
            await Task.Delay(20, Ct);
            entry = (await health.CheckHealthAsync(Ct)).Entries["bearer-jwt-redis-revocation"];
        }
        while (entry.Status != HealthStatus.Unhealthy);

        Assert.Equal(false, entry.Data["connected"]);
        Assert.Contains("503 revocation_unavailable", entry.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UnavailableAfter", 0, 100)]
    [InlineData("HeartbeatInterval", 1000, 600)]
    public async Task Out_of_range_settings_stop_start_up_naming_the_setting_and_the_value(string setting, int unavailableAfterMs, int heartbeatMs)
    {
        using var host = PipelineHost.Build(new PipelineSetup
        {
            Services = services => services.AddBearerJwtRedis(o =>
            {
                o.Configuration = "127.0.0.1:1";
                o.Revocation.UnavailableAfter = TimeSpan.FromMilliseconds(unavailableAfterMs);
                o.Revocation.HeartbeatInterval = TimeSpan.FromMilliseconds(heartbeatMs);
            }),
        });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(Ct));

        var value = setting == "UnavailableAfter" ? TimeSpan.FromMilliseconds(unavailableAfterMs) : TimeSpan.FromMilliseconds(heartbeatMs);
        Assert.Contains($"BearerJwtRedisOptions.Revocation.{setting}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"it was {value}", error.Message, StringComparison.Ordinal);
    }

    private static Task<PipelineHost> StartAsync(RedisServer server, Action<IServiceCollection>? more = null) =>
        PipelineHost.StartAsync(
            PipelineHost.UseDefaults,
            services =>
            {
                services.AddBearerJwtRedis(o =>
                {
                    o.Configuration = server.ConnectionString;
                    o.Revocation.UnavailableAfter = TimeSpan.FromSeconds(1);
                    o.Revocation.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
                });
                more?.Invoke(services);
            });

    /// <summary>Sends <paramref name="token"/> until the answer is <paramref name="expected"/>, failing on any status but <paramref name="meanwhile"/> before.</summary>
    private static async Task<PipelineResponse> UntilStatusAsync(PipelineHost host, string token, HttpStatusCode expected, HttpStatusCode meanwhile)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var response = await host.GetAsync("/protected", token);
            if (response.Status == expected)
            {
                return response;
            }

            Assert.Equal(meanwhile, response.Status);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"Still {response.Status}, not {expected}, after 30 s.");
            await Task.Delay(10, Ct);
        }
    }
}

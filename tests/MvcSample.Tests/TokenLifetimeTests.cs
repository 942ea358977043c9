using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>The sample reads time from <see cref="TimeProvider"/> only, for issuing and for validating.</summary>
public sealed class TokenLifetimeTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Token_times_come_from_the_time_provider()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = WithClock(clock);
        using var client = host.CreateClient();

        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var payload = SampleApi.DecodeSegment(token, 1);
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.RootElement.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload.RootElement.GetProperty("nbf").GetInt64());
        Assert.Equal(Now.AddMinutes(15).ToUnixTimeSeconds(), payload.RootElement.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Token_is_refused_once_it_has_expired()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = WithClock(clock);
        using var client = host.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");

        using var fresh = await SampleApi.GetAsync(client, "/api/me", token);
        clock.Advance(TimeSpan.FromMinutes(16));
        using var expired = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        SampleApi.AssertBearerChallenge(expired, "invalid_token");
    }

    private WebApplicationFactory<Program> WithClock(TimeProvider clock) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton(clock)));
}

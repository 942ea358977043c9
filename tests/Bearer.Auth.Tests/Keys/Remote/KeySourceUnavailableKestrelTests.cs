using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bearer.Auth.Tests.Keys.Remote;

/// <summary>
/// On Kestrel, over real sockets: an app whose OpenID Provider is down before any key was fetched answers a token it
/// cannot check with 503, <c>Retry-After</c> and a problem body, not a 401 that would make the client drop its token.
/// </summary>
public sealed class KeySourceUnavailableKestrelTests
{
    [Fact]
    public async Task Provider_down_before_any_fetch_gives_503_with_Retry_After_and_a_problem_body()
    {
        using var key = new TestKey("k1");

        // A provider that was there and is gone: its port refuses connections.
        var provider = await JwksTestServer.StartAsync();
        var authority = provider.BaseUrl;
        await provider.DisposeAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["Authentication:Schemes:Bearer:Authority"] = authority;
        builder.Configuration["Authentication:Schemes:Bearer:RequireHttpsMetadata"] = "false";
        builder.Configuration["Authentication:Schemes:Bearer:ValidAudience"] = TestJwt.Audience;
        builder.Services.AddBearerJwt();
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", () => "orders").RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        using var client = new HttpClient { BaseAddress = new Uri(address) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key.Token(authority, DateTimeOffset.UtcNow));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(ProblemJson.For(503, "The signing keys are temporarily unavailable.", reason: "key_source_unavailable"), body);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);

        await app.StopAsync(TestContext.Current.CancellationToken);
    }
}

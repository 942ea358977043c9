using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>
/// <c>POST /api/auth/refresh</c>: rotation, a retry within the grace period, reuse after it (which ends the session,
/// access tokens included), the lifetimes from <c>Sessions:*</c>, and one answer for every refusal: 400
/// <c>invalid_grant</c>.
/// </summary>
public sealed class RefreshTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task Refresh_returns_a_new_token_pair_of_the_same_session_and_both_tokens_work()
    {
        using var client = factory.CreateClient();
        var login = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");

        using var response = await SampleApi.RefreshAsync(client, login.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        using (var body = await SampleApi.ReadJsonAsync(response))
        {
            Assert.Equal(["access_token", "expires_in", "refresh_token", "token_type"], body.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("Bearer", body.RootElement.GetProperty("token_type").GetString());
            Assert.Equal(900, body.RootElement.GetProperty("expires_in").GetInt64());
        }

        var refreshed = await SampleApi.ReadTokenPairAsync(response);
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        Assert.NotEqual(login.AccessToken, refreshed.AccessToken);
        Assert.Equal(SessionId(login.AccessToken), SessionId(refreshed.AccessToken));
        using var payload = SampleApi.DecodeSegment(refreshed.AccessToken, 1);
        Assert.Equal("bob", payload.RootElement.GetProperty("sub").GetString());
        Assert.Equal(["user"], SampleApi.TokenRoles(payload.RootElement));
        using var me = await SampleApi.GetAsync(client, "/api/me", refreshed.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var next = await SampleApi.RefreshAsync(client, refreshed.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task A_retry_within_the_grace_period_returns_the_same_refresh_token()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock, new() { ["Sessions:RefreshReuseGracePeriod"] = "00:00:10" });
        using var client = host.CreateClient();
        var login = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");

        using var first = await SampleApi.RefreshAsync(client, login.RefreshToken);
        clock.Advance(TimeSpan.FromSeconds(9));
        using var retry = await SampleApi.RefreshAsync(client, login.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var firstPair = await SampleApi.ReadTokenPairAsync(first);
        var retryPair = await SampleApi.ReadTokenPairAsync(retry);
        Assert.Equal(firstPair.RefreshToken, retryPair.RefreshToken);
        using var me = await SampleApi.GetAsync(client, "/api/me", firstPair.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task Reuse_after_the_grace_period_is_invalid_grant_and_revokes_the_sessions_access_tokens()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock, new() { ["Sessions:RefreshReuseGracePeriod"] = "00:00:10" });
        using var client = host.CreateClient();
        var login = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        var other = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        using var first = await SampleApi.RefreshAsync(client, login.RefreshToken);
        var current = await SampleApi.ReadTokenPairAsync(first);
        using var before = await SampleApi.GetAsync(client, "/api/me", current.AccessToken);

        clock.Advance(TimeSpan.FromSeconds(11));
        using var reuse = await SampleApi.RefreshAsync(client, login.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        await SampleApi.AssertInvalidGrantAsync(reuse);
        using var currentAccess = await SampleApi.GetAsync(client, "/api/me", current.AccessToken);
        SampleApi.AssertRevoked(currentAccess);
        using var loginAccess = await SampleApi.GetAsync(client, "/api/me", login.AccessToken);
        SampleApi.AssertRevoked(loginAccess);
        using var currentRefresh = await SampleApi.RefreshAsync(client, current.RefreshToken);
        await SampleApi.AssertInvalidGrantAsync(currentRefresh);

        // Only that session ends: the same user's other login keeps working.
        using var otherAccess = await SampleApi.GetAsync(client, "/api/me", other.AccessToken);
        Assert.Equal(HttpStatusCode.OK, otherAccess.StatusCode);
        using var otherRefresh = await SampleApi.RefreshAsync(client, other.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
    }

    [Fact]
    public async Task A_refresh_token_unused_for_longer_than_its_lifetime_is_invalid_grant()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock, new() { ["Sessions:RefreshTokenLifetime"] = "00:10:00" });
        using var client = host.CreateClient();
        var login = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");
        using var fresh = await SampleApi.RefreshAsync(client, login.RefreshToken);
        var next = await SampleApi.ReadTokenPairAsync(fresh);

        clock.Advance(TimeSpan.FromMinutes(11));
        using var expired = await SampleApi.RefreshAsync(client, next.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        await SampleApi.AssertInvalidGrantAsync(expired);
    }

    [Fact]
    public async Task Refreshing_never_extends_the_session_lifetime()
    {
        var clock = new FakeTimeProvider(Now);
        await using var host = Host(clock, new()
        {
            ["Sessions:RefreshTokenLifetime"] = "00:15:00",
            ["Sessions:SessionLifetime"] = "00:20:00",
        });
        using var client = host.CreateClient();
        var login = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");
        clock.Advance(TimeSpan.FromMinutes(10));
        using var within = await SampleApi.RefreshAsync(client, login.RefreshToken);
        var next = await SampleApi.ReadTokenPairAsync(within);

        clock.Advance(TimeSpan.FromMinutes(11));
        using var past = await SampleApi.RefreshAsync(client, next.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, within.StatusCode);
        await SampleApi.AssertInvalidGrantAsync(past);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("\"refresh_token\"")]
    [InlineData("""{"refresh_token":null}""")]
    [InlineData("""{"refresh_token":42}""")]
    [InlineData("""{"refresh_token":["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]}""")]
    [InlineData("""{"refresh_token":""}""")]
    [InlineData("""{"refresh_token":"not-a-token"}""")]
    [InlineData("""{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}""")]
    [InlineData("""{"refresh_token":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA""")]
    public async Task Every_malformed_or_unknown_json_body_is_invalid_grant(string json)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/api/auth/refresh", content, SampleApi.Cancellation);

        await SampleApi.AssertInvalidGrantAsync(response);
    }

    [Fact]
    public async Task A_request_without_a_body_is_invalid_grant()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.PostAsync(client, "/api/auth/refresh");

        await SampleApi.AssertInvalidGrantAsync(response);
    }

    [Fact]
    public async Task A_form_body_is_invalid_grant()
    {
        using var client = factory.CreateClient();
        using var content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]);

        using var response = await client.PostAsync("/api/auth/refresh", content, SampleApi.Cancellation);

        await SampleApi.AssertInvalidGrantAsync(response);
    }

    [Fact]
    public async Task An_oversized_body_is_invalid_grant()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.RefreshAsync(client, new string('A', 100_000));

        await SampleApi.AssertInvalidGrantAsync(response);
    }

    [Fact]
    public async Task An_access_token_presented_as_a_refresh_token_is_invalid_grant()
    {
        using var client = factory.CreateClient();
        var login = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");

        using var response = await SampleApi.RefreshAsync(client, login.AccessToken);

        await SampleApi.AssertInvalidGrantAsync(response);
    }

    private static string SessionId(string accessToken)
    {
        using var payload = SampleApi.DecodeSegment(accessToken, 1);
        return payload.RootElement.GetProperty("sid").GetString()!;
    }

    private WebApplicationFactory<Program> Host(TimeProvider clock, Dictionary<string, string?> settings) =>
        factory.WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        });
}

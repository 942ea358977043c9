using System.Diagnostics;
using System.Net;
using Bearer.Auth.Tests.Support;
using MvcSample.Tests.Support;
using static MvcSample.Tests.Support.SampleApi;

namespace MvcSample.Tests;

/// <summary>
/// The sample as the acceptance tests run it: built, started as <c>dotnet MvcSample.dll --urls
/// http://127.0.0.1:&lt;port&gt;</c> twice with the same <c>ConnectionStrings__Redis</c>, against a real redis-server.
/// The two instances share sessions, revocations and signing keys; with Redis gone they answer 503 with
/// <c>Retry-After</c>, never a 500 and never a 401 for a good token; with Redis back they carry on.
/// </summary>
public sealed class RedisSessionsTests
{
    [Fact]
    public async Task Two_instances_sharing_redis_accept_each_others_access_and_refresh_tokens()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await SampleProcess.StartAsync(Settings(redis));
        await using var second = await SampleProcess.StartAsync(Settings(redis));

        var tokens = await LoginAsync(first.Client, "alice", "alice-dev-password");
        using (var me = await GetAsync(second.Client, "/api/me", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        using var refreshed = await RefreshAsync(second.Client, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var next = await ReadTokenPairAsync(refreshed);
        using (var me = await GetAsync(first.Client, "/api/me", next.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // The replaced token, presented at the first instance after the grace period set below, is reuse.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Cancellation);
        await AssertInvalidGrantAsync(await RefreshAsync(first.Client, tokens.RefreshToken));
        await AssertInvalidGrantAsync(await RefreshAsync(second.Client, next.RefreshToken));
    }

    [Fact]
    public async Task A_logout_on_one_instance_is_enforced_by_the_other()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var first = await SampleProcess.StartAsync(Settings(redis));
        await using var second = await SampleProcess.StartAsync(Settings(redis));
        var tokens = await LoginAsync(first.Client, "bob", "bob-dev-password");
        using (var before = await GetAsync(second.Client, "/api/me", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var logout = await PostAsync(first.Client, "/api/auth/logout", tokens.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        }

        var elapsed = Stopwatch.StartNew();
        var refused = await PollAsync(second.Client, tokens.AccessToken, HttpStatusCode.Unauthorized);
        TestContext.Current.SendDiagnosticMessage($"logout on one instance refused on the other after {elapsed.ElapsedMilliseconds} ms");
        AssertRevoked(refused);
        await AssertInvalidGrantAsync(await RefreshAsync(second.Client, tokens.RefreshToken));
    }

    [Fact]
    public async Task With_redis_down_logins_and_authenticated_requests_get_503_with_retry_after_and_recover_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var sample = await SampleProcess.StartAsync(Settings(redis));
        var tokens = await LoginAsync(sample.Client, "alice", "alice-dev-password");
        using (var healthy = await GetAsync(sample.Client, "/health"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        await redis.KillAsync();

        using (var login = await RequestTokenAsync(sample.Client, "alice", "alice-dev-password"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.NotNull(login.Headers.RetryAfter);
        }

        using (var refresh = await RefreshAsync(sample.Client, tokens.RefreshToken))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refresh.StatusCode);
            Assert.NotNull(refresh.Headers.RetryAfter);
        }

        // Once the revocation view is older than its bound (5 s), a good token is neither accepted nor refused.
        using (var me = await PollAsync(sample.Client, tokens.AccessToken, HttpStatusCode.ServiceUnavailable))
        {
            Assert.Equal("5", me.Headers.GetValues("Retry-After").Single());
            Assert.Empty(me.Headers.WwwAuthenticate);
            Assert.Contains("revocation_unavailable", await me.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        }

        using (var unhealthy = await GetAsync(sample.Client, "/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync(Cancellation));
        }

        await redis.RestartAsync();

        using (var me = await PollAsync(sample.Client, tokens.AccessToken, HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // The session written before the outage survived it (Redis keeps its data), and logins work again.
        using var refreshed = await RefreshAsync(sample.Client, tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.NotNull(await LoginAsync(sample.Client, "bob", "bob-dev-password"));
    }

    private static Dictionary<string, string?> Settings(RedisServer redis) => new()
    {
        ["ConnectionStrings__Redis"] = $"127.0.0.1:{redis.Port}",
        ["Sessions__RefreshReuseGracePeriod"] = "00:00:01",
    };

    /// <summary>Sends the token to <c>/api/me</c> until the answer has <paramref name="status"/>, for at most 30 s.</summary>
    private static async Task<HttpResponseMessage> PollAsync(HttpClient client, string token, HttpStatusCode status)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await GetAsync(client, "/api/me", token);
            if (response.StatusCode == status || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Equal(status, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(50, Cancellation);
        }
    }
}

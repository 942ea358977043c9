using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>
/// <c>POST /api/auth/logout-all</c> and <c>POST /api/admin/revoke</c> end every session of one user, refresh and
/// access tokens alike; other users keep theirs, and the user can log in again at once. Each test runs its own host,
/// since it revokes whole users.
/// </summary>
public sealed class SessionRevocationTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Logout_all_ends_every_session_of_the_user_and_no_other()
    {
        await using var host = factory.WithWebHostBuilder(_ => { });
        using var client = host.CreateClient();
        var alice = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        var aliceElsewhere = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        var bob = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");

        using var logout = await SampleApi.PostAsync(client, "/api/auth/logout-all", alice.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertSessionEndedAsync(client, alice);
        await AssertSessionEndedAsync(client, aliceElsewhere);
        await AssertSessionWorksAsync(client, bob);
    }

    [Fact]
    public async Task A_login_right_after_logout_all_works_at_once()
    {
        await using var host = factory.WithWebHostBuilder(_ => { });
        using var client = host.CreateClient();
        var alice = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        using var logout = await SampleApi.PostAsync(client, "/api/auth/logout-all", alice.AccessToken);

        var again = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await AssertSessionWorksAsync(client, again);
    }

    [Fact]
    public async Task Logout_all_without_a_token_is_401()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.PostAsync(client, "/api/auth/logout-all");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response);
    }

    [Fact]
    public async Task An_admin_revokes_every_session_of_another_user()
    {
        await using var host = factory.WithWebHostBuilder(_ => { });
        using var client = host.CreateClient();
        var alice = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        var bob = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");
        var bobElsewhere = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");

        using var revoke = await RevokeAsync(client, alice.AccessToken, "bob");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await AssertSessionEndedAsync(client, bob);
        await AssertSessionEndedAsync(client, bobElsewhere);
        await AssertSessionWorksAsync(client, alice);
        var bobAgain = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");
        await AssertSessionWorksAsync(client, bobAgain);
    }

    [Fact]
    public async Task A_non_admin_gets_403_and_revokes_nothing()
    {
        await using var host = factory.WithWebHostBuilder(_ => { });
        using var client = host.CreateClient();
        var alice = await SampleApi.LoginAsync(client, "alice", "alice-dev-password");
        var bob = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");

        using var revoke = await RevokeAsync(client, bob.AccessToken, "alice");

        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        await AssertSessionWorksAsync(client, alice);
    }

    [Fact]
    public async Task Admin_revoke_without_a_token_is_401()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/revoke") { Content = JsonContent.Create(new { username = "bob" }) };

        using var response = await client.SendAsync(request, SampleApi.Cancellation);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> RevokeAsync(HttpClient client, string accessToken, string userName)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/revoke") { Content = JsonContent.Create(new { username = userName }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await client.SendAsync(request, SampleApi.Cancellation);
    }

    private static async Task AssertSessionEndedAsync(HttpClient client, TokenPair session)
    {
        using var me = await SampleApi.GetAsync(client, "/api/me", session.AccessToken);
        SampleApi.AssertRevoked(me);
        using var refresh = await SampleApi.RefreshAsync(client, session.RefreshToken);
        await SampleApi.AssertInvalidGrantAsync(refresh);
    }

    private static async Task AssertSessionWorksAsync(HttpClient client, TokenPair session)
    {
        using var me = await SampleApi.GetAsync(client, "/api/me", session.AccessToken);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using var refresh = await SampleApi.RefreshAsync(client, session.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }
}

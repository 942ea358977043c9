using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using MvcSample.Tests.Support;

namespace MvcSample.Tests;

/// <summary>
/// <c>POST /api/auth/logout</c> ends the presented token's session: its access tokens are then refused with
/// <c>reason="token_revoked"</c> and its refresh tokens with <c>invalid_grant</c>, while other sessions, of the same
/// user or another, keep working.
/// </summary>
public sealed class LogoutTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task After_logout_the_token_is_refused_as_revoked()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");
        using var before = await SampleApi.GetAsync(client, "/api/me", token);

        using var logout = await SampleApi.PostAsync(client, "/api/auth/logout", token);
        using var after = await SampleApi.GetAsync(client, "/api/me", token);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        SampleApi.AssertBearerChallenge(after, "invalid_token");
        Assert.Contains("reason=\"token_revoked\"", Assert.Single(after.Headers.WwwAuthenticate).Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ends_the_session_its_refresh_token_and_every_access_token_of_it()
    {
        using var client = factory.CreateClient();
        var login = await SampleApi.LoginAsync(client, "bob", "bob-dev-password");
        using var refreshResponse = await SampleApi.RefreshAsync(client, login.RefreshToken);
        var refreshed = await SampleApi.ReadTokenPairAsync(refreshResponse);

        using var logout = await SampleApi.PostAsync(client, "/api/auth/logout", refreshed.AccessToken);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var earlierAccess = await SampleApi.GetAsync(client, "/api/me", login.AccessToken);
        SampleApi.AssertRevoked(earlierAccess);
        using var currentAccess = await SampleApi.GetAsync(client, "/api/me", refreshed.AccessToken);
        SampleApi.AssertRevoked(currentAccess);
        using var refresh = await SampleApi.RefreshAsync(client, refreshed.RefreshToken);
        await SampleApi.AssertInvalidGrantAsync(refresh);
    }

    [Fact]
    public async Task Logout_with_a_revoked_token_is_401()
    {
        using var client = factory.CreateClient();
        var token = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");
        using var first = await SampleApi.PostAsync(client, "/api/auth/logout", token);

        using var second = await SampleApi.PostAsync(client, "/api/auth/logout", token);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        SampleApi.AssertBearerChallenge(second, "invalid_token");
    }

    [Fact]
    public async Task Logout_without_a_token_is_401()
    {
        using var client = factory.CreateClient();

        using var response = await SampleApi.PostAsync(client, "/api/auth/logout");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        SampleApi.AssertBearerChallenge(response);
    }

    [Fact]
    public async Task Other_tokens_keep_working_after_a_logout()
    {
        using var client = factory.CreateClient();
        var alice = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");
        var aliceElsewhere = await SampleApi.GetTokenAsync(client, "alice", "alice-dev-password");
        var bob = await SampleApi.GetTokenAsync(client, "bob", "bob-dev-password");

        using var logout = await SampleApi.PostAsync(client, "/api/auth/logout", alice);
        using var bobAfter = await SampleApi.GetAsync(client, "/api/me", bob);
        using var aliceElsewhereAfter = await SampleApi.GetAsync(client, "/api/me", aliceElsewhere);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bobAfter.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aliceElsewhereAfter.StatusCode);
    }
}

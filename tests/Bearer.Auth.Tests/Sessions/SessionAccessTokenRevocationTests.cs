using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Bearer.Auth.Tests.Sessions;

/// <summary>
/// Ending a session (a reused refresh token, sign-out, sign-out everywhere) ends its access tokens too when a
/// revocation store is given: its <c>sid</c> is revoked until the last access token of the session has expired.
/// </summary>
public sealed class SessionAccessTokenRevocationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ITokenRevocationStore _accessTokens = Substitute.For<ITokenRevocationStore>();

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The last access token was issued by now: none is accepted after now + its lifetime + the largest skew.</summary>
    private DateTimeOffset Until => _time.GetUtcNow() + AccessTokenLifetime + TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_reused_refresh_token_revokes_its_sessions_access_tokens()
    {
        var tokens = Create();
        var first = await tokens.StartSessionAsync("alice", "app", Ct);
        _ = await tokens.RefreshAsync(first.RefreshToken, "app", Ct);
        _time.Advance(TimeSpan.FromMinutes(1)); // past the grace period: the old token again is a reuse

        var reused = await tokens.RefreshAsync(first.RefreshToken, "app", Ct);

        Assert.Equal(RefreshTokenFailure.Reused, reused.Failure);
        await _accessTokens.Received(1).RevokeSessionAsync(first.Session!.SessionId, Until, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task A_retry_within_the_grace_period_revokes_nothing()
    {
        var tokens = Create();
        var first = await tokens.StartSessionAsync("alice", "app", Ct);
        _ = await tokens.RefreshAsync(first.RefreshToken, "app", Ct);

        var retried = await tokens.RefreshAsync(first.RefreshToken, "app", Ct);

        Assert.True(retried.Succeeded);
        await _accessTokens.DidNotReceive().RevokeSessionAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Signing_out_revokes_the_sessions_access_tokens_and_signing_out_everywhere_each_sessions()
    {
        var tokens = Create();
        var one = await tokens.StartSessionAsync("alice", "app", Ct);
        var two = await tokens.StartSessionAsync("alice", "app", Ct);
        var bobs = await tokens.StartSessionAsync("bob", "app", Ct);

        await tokens.RevokeSessionAsync(one.Session!.SessionId, Ct);
        await _accessTokens.Received(1).RevokeSessionAsync(one.Session.SessionId, Until, Arg.Any<CancellationToken>());

        _accessTokens.ClearReceivedCalls();
        await tokens.RevokeSubjectAsync("alice", Ct);

        await _accessTokens.Received(1).RevokeSessionAsync(two.Session!.SessionId, Until, Arg.Any<CancellationToken>());
        await _accessTokens.DidNotReceive().RevokeSessionAsync(bobs.Session!.SessionId, Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
        await _accessTokens.DidNotReceive().RevokeSubjectAsync(Arg.Any<string>(), Arg.Any<DateTimeOffset>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task The_registration_wires_the_revocation_store_in_di_into_the_refresh_tokens()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(_accessTokens);
        services.AddBearerJwtRefreshTokens(o => o.AccessTokenLifetime = AccessTokenLifetime);
        using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<BearerJwtRefreshTokens>();

        await tokens.RevokeSessionAsync("s-1", Ct);

        await _accessTokens.Received(1).RevokeSessionAsync("s-1", Until, Arg.Any<CancellationToken>());
    }

    private BearerJwtRefreshTokens Create() => new(
        new InMemoryRefreshTokenStore(_time),
        Microsoft.Extensions.Options.Options.Create(new BearerJwtRefreshTokenOptions { AccessTokenLifetime = AccessTokenLifetime }),
        _accessTokens,
        _time);
}

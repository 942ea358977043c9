using Bearer.Auth;
using Microsoft.Extensions.Options;
using MvcSample.Models;

namespace MvcSample.Services;

/// <summary>
/// The sample's sessions on top of the library: a login starts a refresh-token session and signs an access token
/// whose <c>sid</c> is that session; a refresh rotates the refresh token and signs a new access token; ending a
/// session revokes both its refresh family and its access tokens (<see cref="BearerJwtRefreshTokens"/>, which revokes
/// the <c>sid</c> in the <see cref="ITokenRevocationStore"/> registered in DI).
/// </summary>
public sealed class SessionTokens(
    BearerJwtTokenIssuer issuer,
    BearerJwtRefreshTokens refreshTokens,
    ITokenRevocationStore revocations,
    InMemoryUserStore users,
    IOptionsMonitor<BearerJwtOptions> bearer)
{
    /// <summary>Starts a session for <paramref name="user"/>: its first refresh token and an access token for it.</summary>
    public async Task<TokenResponse> SignInAsync(SampleUser user, CancellationToken cancellationToken)
    {
        var started = await refreshTokens.StartSessionAsync(user.UserName, SampleClient.Id, cancellationToken);
        return await RespondAsync(user, started.Session!.SessionId, started.RefreshToken!, cancellationToken);
    }

    /// <summary>
    /// Exchanges a refresh token for new tokens, or returns why not (a sentence safe to show). A reused token has
    /// revoked its whole session in the library: its refresh family, and its access tokens through the revocation
    /// store registered in DI.
    /// </summary>
    public async Task<(TokenResponse? Tokens, string? Refusal)> RefreshAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        var result = await refreshTokens.RefreshAsync(refreshToken, SampleClient.Id, cancellationToken);
        if (!result.Succeeded)
        {
            return (null, result.ErrorDescription);
        }

        var session = result.Session!;
        if (users.FindByName(session.Subject) is not { } user)
        {
            // The user was removed from configuration since the login: the session ends with them.
            await EndSessionAsync(session.SessionId, cancellationToken);
            return (null, "The refresh token's user no longer exists.");
        }

        return (await RespondAsync(user, session.SessionId, result.RefreshToken!, cancellationToken), null);
    }

    /// <summary>Ends one session: its refresh tokens and (the library does both) its access tokens.</summary>
    public async Task EndSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        await refreshTokens.RevokeSessionAsync(sessionId, cancellationToken);

    /// <summary>
    /// Ends every session of <paramref name="subject"/>, each by its <c>sid</c>. Deliberately not the store's
    /// subject revocation: that refuses tokens by <c>iat</c>, in whole seconds, so a login in the same second as the
    /// revocation would be refused too; a new session has a new <c>sid</c> and works at once.
    /// </summary>
    public async Task EndEverySessionAsync(string subject, CancellationToken cancellationToken) =>
        _ = await refreshTokens.RevokeSubjectAsync(subject, cancellationToken);

    /// <summary>Revokes one access token by its <c>jti</c> until <paramref name="expiresAt"/> plus the clock skew (tokens without a session).</summary>
    public ValueTask RevokeAccessTokenAsync(string tokenId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        revocations.RevokeTokenAsync(tokenId, expiresAt + ClockSkew, cancellationToken);

    private TimeSpan ClockSkew => bearer.Get(BearerJwtDefaults.AuthenticationScheme).ClockSkew;

    // IssueAsync: with a key ring whose store is Redis, a first read is awaited rather than blocking a thread.
    private async Task<TokenResponse> RespondAsync(SampleUser user, string sessionId, string refreshToken, CancellationToken cancellationToken)
    {
        var request = new AccessTokenRequest(user.UserName) { SessionId = sessionId, ClientId = SampleClient.Id, Roles = user.Roles }.AddClaim("name", user.UserName);
        var access = await issuer.IssueAsync(request, cancellationToken);
        return new TokenResponse(access.Token, (long)issuer.AccessTokenLifetime.TotalSeconds, refreshToken);
    }
}

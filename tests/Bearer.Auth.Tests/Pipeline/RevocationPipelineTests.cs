using System.Net;
using Bearer.Auth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bearer.Auth.Tests.Pipeline;

/// <summary>
/// A store registered in DI only as <see cref="ITokenRevocationStore"/> is the handler's revocation check: a revoked
/// token gets 401 with <c>reason="token_revoked"</c>, also when the repeat-token cache already holds it, and stays
/// refused for as long as the clock skew would still accept it when it is revoked until <c>exp</c> plus the skew.
/// </summary>
public sealed class RevocationPipelineTests
{
    private const string RevokedChallenge = "Bearer error=\"invalid_token\", error_description=\"The token has been revoked.\", reason=\"token_revoked\"";

    /// <summary>The <c>exp</c> of <see cref="PipelineHost.Token"/>'s tokens.</summary>
    private static readonly DateTimeOffset Expiry = PipelineHost.Now.AddMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_store_registered_only_as_a_revocation_store_refuses_the_token_it_revoked()
    {
        await using var host = await StartWithStoreAsync();
        var token = PipelineHost.Token("\"jti\":\"t-1\"");
        var other = PipelineHost.Token("\"jti\":\"t-2\"");
        Assert.Null(host.Services.GetService<ITokenRevocationCheck>());
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", token)).Status);

        await Store(host).RevokeTokenAsync("t-1", Expiry, Ct);
        var refused = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(RevokedChallenge, refused.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", other)).Status);
    }

    [Fact]
    public async Task A_token_the_repeat_token_cache_holds_is_refused_once_revoked()
    {
        await using var host = await StartWithStoreAsync();
        var token = PipelineHost.Token("\"jti\":\"t-1\",\"sid\":\"s-1\"");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.GetAsync("/protected", token)).Status);
        }

        var cache = Validator(host).RepeatTokens;
        Assert.NotNull(cache);
        Assert.True(cache.TryGet(token, out _));

        await Store(host).RevokeSessionAsync("s-1", Expiry, Ct);
        var refused = await host.GetAsync("/protected", token);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(RevokedChallenge, refused.WwwAuthenticate);
    }

    [Fact]
    public async Task A_token_revoked_until_exp_plus_the_clock_skew_is_refused_until_it_has_expired()
    {
        await using var host = await StartWithStoreAsync();
        var clock = (FakeTimeProvider)host.Services.GetRequiredService<TimeProvider>();
        var skew = host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme).ClockSkew;
        var token = PipelineHost.Token("\"jti\":\"t-1\"");

        await Store(host).RevokeTokenAsync("t-1", Expiry + skew, Ct);

        // Past exp but within the skew the token would still be accepted: the revocation must still hold.
        clock.SetUtcNow(Expiry + skew - TimeSpan.FromSeconds(1));
        Assert.Equal(RevokedChallenge, (await host.GetAsync("/protected", token)).WwwAuthenticate);

        clock.SetUtcNow(Expiry + skew);
        Assert.Contains("reason=\"token_expired\"", (await host.GetAsync("/protected", token)).WwwAuthenticate, StringComparison.Ordinal);
    }

    private static Task<PipelineHost> StartWithStoreAsync() =>
        PipelineHost.StartAsync(
            PipelineHost.UseDefaults,
            services => services.AddSingleton<ITokenRevocationStore>(s => new InMemoryTokenRevocationStore(s.GetRequiredService<TimeProvider>())));

    private static ITokenRevocationStore Store(PipelineHost host) => host.Services.GetRequiredService<ITokenRevocationStore>();

    private static BearerJwtValidator Validator(PipelineHost host) =>
        host.Services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>().Get(BearerJwtDefaults.AuthenticationScheme).Validator!;
}

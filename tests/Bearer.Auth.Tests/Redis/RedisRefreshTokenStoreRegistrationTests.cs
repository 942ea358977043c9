using Bearer.Auth.Redis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary><c>AddBearerJwtRedis</c> puts the refresh-token sessions in Redis, whichever of it and <c>AddBearerJwtRefreshTokens</c> comes first.</summary>
public sealed class RedisRefreshTokenStoreRegistrationTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refresh_tokens_are_kept_in_redis_under_the_configured_prefix(bool redisFirst)
    {
        var prefix = redis.NewPrefix();
        var services = new ServiceCollection();
        if (redisFirst)
        {
            services.AddBearerJwtRedis(o => (o.Configuration, o.KeyPrefix) = (redis.Server.ConnectionString, prefix));
            services.AddBearerJwtRefreshTokens();
        }
        else
        {
            services.AddBearerJwtRefreshTokens();
            services.AddBearerJwtRedis(o => (o.Configuration, o.KeyPrefix) = (redis.Server.ConnectionString, prefix));
        }

        await using var provider = services.BuildServiceProvider();
        var tokens = provider.GetRequiredService<BearerJwtRefreshTokens>();

        Assert.IsType<RedisRefreshTokenStore>(provider.GetRequiredService<IRefreshTokenStore>());
        Assert.Single(services, d => d.ServiceType == typeof(IRefreshTokenStore));
        var started = await tokens.StartSessionAsync("alice", "web-app", Ct);
        Assert.True((await tokens.RefreshAsync(started.RefreshToken, "web-app", Ct)).Succeeded);
        Assert.True(await redis.Multiplexer.GetDatabase().KeyExistsAsync((RedisKey)$"{prefix}rt:s:{started.Session!.SessionId}"));
    }
}

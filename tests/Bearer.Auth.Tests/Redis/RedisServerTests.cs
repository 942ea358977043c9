using Bearer.Auth.Tests.Support;
using StackExchange.Redis;

namespace Bearer.Auth.Tests.Redis;

/// <summary>The fixture the Redis integration tests stand on: a real server that keeps its data across a kill and restart.</summary>
public sealed class RedisServerTests
{
    [Fact]
    public async Task A_killed_and_restarted_server_answers_again_with_the_data_written_before()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var before = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString))
        {
            await before.GetDatabase().StringSetAsync("fixture:kept", "yes");
        }

        await server.KillAsync();
        await server.RestartAsync();

        await using var after = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        Assert.Equal("yes", (string?)await after.GetDatabase().StringGetAsync("fixture:kept"));
    }
}

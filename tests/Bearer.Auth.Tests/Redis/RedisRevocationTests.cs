using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Redis;

/// <summary>
/// What revocation tests on Redis stand on: a real redis-server started for each test, and the store instances
/// (application instances) a test makes on it through <see cref="Instances"/>, all stopped when the test ends.
/// </summary>
public abstract class RedisRevocationTests : IAsyncLifetime
{
    private RedisServer? _server;

    /// <summary>Makes connections and stores on the test's server, and disposes of them after it.</summary>
    private protected RevocationInstances Instances { get; } = new();

    /// <summary>The test's server.</summary>
    private protected RedisServer Server => _server ?? throw new InvalidOperationException("Not initialised.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Instances.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

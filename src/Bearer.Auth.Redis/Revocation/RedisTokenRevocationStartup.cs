using Microsoft.Extensions.Hosting;

namespace Bearer.Auth.Redis;

/// <summary>
/// Creates the revocation store at start-up (so it starts following Redis before the first request) and waits, at most
/// <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/>, for Redis to confirm its view: with Redis up the
/// first requests are checked, not refused; with Redis down start-up goes on and requests get 503 until it answers.
/// </summary>
internal sealed class RedisTokenRevocationStartup : IHostedService
{
    private readonly RedisTokenRevocationStore _store;

    public RedisTokenRevocationStartup(RedisTokenRevocationStore store)
    {
        _store = store;
    }

    public Task StartAsync(CancellationToken cancellationToken) =>
        _store.WaitForFirstConfirmationAsync(_store.Options.UnavailableAfter, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

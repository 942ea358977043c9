using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Bearer.Auth;

/// <summary>
/// A key resolver whose keys are fetched from elsewhere, so they can be fetched ahead of the first request and can be
/// unavailable. The handler's start-up pre-warm and the <c>AddBearerJwt()</c> health check reach a scheme's remote
/// keys through this interface; <see cref="RemoteKeyResolver"/> implements it, and a custom resolver (or one that
/// wraps <see cref="RemoteKeyResolver"/>) implements it to take part.
/// </summary>
public interface IRemoteKeyResolver : IKeyResolver
{
    /// <summary>Fetches the keys now, waiting a bounded time; never throws for a source that is down.</summary>
    /// <param name="cancellationToken">Stops waiting (start-up was cancelled); fetches in flight carry on.</param>
    /// <returns>A task that completes when the keys are fetched or the wait is over.</returns>
    Task WarmUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reports the key sources: healthy when every key set is fresh, degraded while a stale set is served, unhealthy
    /// when a source has no usable keys. The data names each source, its key count, age, last success and last error.
    /// </summary>
    /// <returns>The report.</returns>
    HealthCheckResult CheckHealth();
}

using Bearer.Auth.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health checks of Bearer.Auth's Redis stores.</summary>
public static class BearerJwtRedisHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check of the Redis revocation store registered by <c>AddBearerJwtRedis</c>: healthy while Redis
    /// confirms its local view on time, degraded while disconnected but within
    /// <see cref="BearerJwtRedisRevocationOptions.UnavailableAfter"/>, unhealthy past it (requests then get 503). The
    /// report's data holds the connection state, the view's age, version and epoch, and the writes in flight.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; defaults to <c>bearer-jwt-redis-revocation</c>.</param>
    /// <param name="failureStatus">The status reported past the bound; defaults to <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddBearerJwtRedisRevocation(
        this IHealthChecksBuilder builder,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? "bearer-jwt-redis-revocation",
            services => new RedisTokenRevocationHealthCheck(services.GetRequiredService<RedisTokenRevocationStore>()),
            failureStatus,
            tags));
    }
}

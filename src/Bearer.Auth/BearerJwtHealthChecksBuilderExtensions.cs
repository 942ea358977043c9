using Bearer.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health check of a bearer JWT scheme's remote key sets.</summary>
public static class BearerJwtHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check reporting, per remote key source of <paramref name="authenticationScheme"/>, the key-set
    /// age, last success and last error: degraded while a stale set is served, unhealthy when a source has no usable
    /// keys. A scheme without remote sources is always healthy.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="authenticationScheme">The scheme; defaults to <c>Bearer</c>.</param>
    /// <param name="name">The check's name; defaults to <c>bearer-jwt-keys-{scheme}</c>.</param>
    /// <param name="failureStatus">The status reported when a source has no usable keys; defaults to <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddBearerJwt(
        this IHealthChecksBuilder builder,
        string authenticationScheme = BearerJwtDefaults.AuthenticationScheme,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        return builder.Add(new HealthCheckRegistration(
            name ?? "bearer-jwt-keys-" + authenticationScheme,
            services => new BearerJwtHealthCheck(services.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>(), authenticationScheme),
            failureStatus,
            tags));
    }
}

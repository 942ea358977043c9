using System.Diagnostics.Metrics;
using Bearer.Auth;
using Bearer.Auth.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis stores of Bearer.Auth on an <see cref="IServiceCollection"/>.</summary>
public static class BearerJwtRedisServiceCollectionExtensions
{
    /// <summary>
    /// Keeps Bearer.Auth's shared state in Redis, so that every instance of the application sees the same sessions,
    /// revocations and signing keys. Call it before (or instead of) the in-memory defaults: each store is registered
    /// here and the <c>AddBearerJwt…</c> methods keep a store that is already registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the Redis configuration string and key prefix.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddBearerJwtRedis(this IServiceCollection services, Action<BearerJwtRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<BearerJwtRedisOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BearerJwtRedisOptions>, BearerJwtRedisOptionsValidator>());
        services.TryAddSingleton<RedisConnection>();
        services.Replace(ServiceDescriptor.Singleton<IRefreshTokenStore>(sp => new RedisRefreshTokenStore(sp.GetRequiredService<RedisConnection>(), sp.GetService<TimeProvider>())));
        services.AddRedisSigningKeyStore();

        // Revocations: one store per process, checked from its local view; started (and awaited briefly) at start-up.
        services.TryAddSingleton(sp => new RedisTokenRevocationStore(
            sp.GetRequiredService<RedisConnection>(), sp.GetRequiredService<IOptions<BearerJwtRedisOptions>>().Value.Revocation,
            sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>(), sp.GetService<IMeterFactory>()));
        services.Replace(ServiceDescriptor.Singleton<ITokenRevocationStore>(sp => sp.GetRequiredService<RedisTokenRevocationStore>()));
        services.Replace(ServiceDescriptor.Singleton<ITokenRevocationCheck>(sp => sp.GetRequiredService<RedisTokenRevocationStore>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisTokenRevocationStartup>());
        return services;
    }
}

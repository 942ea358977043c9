using Bearer.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a <see cref="SigningKeyRing"/> on an <see cref="IServiceCollection"/>.</summary>
public static class BearerJwtKeyRingServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="SigningKeyRing"/> with its options, checked at start-up, read at start-up, and an
    /// <see cref="InMemorySigningKeyStore"/> unless an <see cref="ISigningKeyStore"/> is registered already (the Redis
    /// store of <c>AddBearerJwtRedis</c>, called before, wins). The ring reads the <see cref="TimeProvider"/>
    /// registered in DI, else the system clock. Sign with it through
    /// <see cref="BearerJwtIssuerOptions.SigningKeyRing"/>, verify with <see cref="SigningKeyRing.CreateKeyResolver"/>,
    /// and publish <see cref="SigningKeyRing.GetPublishedKeys"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the algorithm and the rotation schedule in code.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddBearerJwtSigningKeyRing(this IServiceCollection services, Action<BearerJwtKeyRingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BearerJwtKeyRingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BearerJwtKeyRingOptions>, BearerJwtKeyRingOptionsValidator>());
        services.TryAddSingleton<ISigningKeyStore>(sp => new InMemorySigningKeyStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new SigningKeyRing(
            sp.GetRequiredService<ISigningKeyStore>(),
            sp.GetRequiredService<IOptions<BearerJwtKeyRingOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SigningKeyRing>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SigningKeyRingWarmUpService>());
        return services;
    }
}

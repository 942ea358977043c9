using Bearer.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers refresh tokens (<see cref="BearerJwtRefreshTokens"/>) on an <see cref="IServiceCollection"/>.</summary>
public static class BearerJwtRefreshTokenServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="BearerJwtRefreshTokens"/> with its options, checked at start-up, and an
    /// <see cref="InMemoryRefreshTokenStore"/> unless an <see cref="IRefreshTokenStore"/> is registered already.
    /// The store reads the <see cref="TimeProvider"/> registered in DI, else the system clock. When an
    /// <see cref="ITokenRevocationStore"/> is registered, ending a session also revokes its access tokens there.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the lifetimes in code.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddBearerJwtRefreshTokens(this IServiceCollection services, Action<BearerJwtRefreshTokenOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<BearerJwtRefreshTokenOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BearerJwtRefreshTokenOptions>, BearerJwtRefreshTokenOptionsValidator>());
        services.TryAddSingleton<IRefreshTokenStore>(sp => new InMemoryRefreshTokenStore(sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => new BearerJwtRefreshTokens(
            sp.GetRequiredService<IRefreshTokenStore>(),
            sp.GetRequiredService<IOptions<BearerJwtRefreshTokenOptions>>(),
            sp.GetService<ITokenRevocationStore>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}

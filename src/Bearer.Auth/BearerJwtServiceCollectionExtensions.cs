using Bearer.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers bearer JWT authentication on an <see cref="IServiceCollection"/>.</summary>
public static class BearerJwtServiceCollectionExtensions
{
    /// <summary>
    /// Adds authentication with the <c>Bearer</c> scheme as the default scheme, validated by this library.
    /// Options bind from <c>Authentication:Schemes:Bearer</c> first, then <paramref name="configure"/> runs.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options in code.</param>
    /// <returns>The authentication builder, to add more schemes.</returns>
    public static AuthenticationBuilder AddBearerJwt(this IServiceCollection services, Action<BearerJwtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services
            .AddAuthentication(BearerJwtDefaults.AuthenticationScheme)
            .AddBearerJwt(BearerJwtDefaults.AuthenticationScheme, configure);
    }
}

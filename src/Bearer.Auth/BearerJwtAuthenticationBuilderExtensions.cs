using Bearer.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the bearer JWT handler on an <see cref="AuthenticationBuilder"/>.</summary>
public static class BearerJwtAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds a bearer JWT scheme. Options bind from <c>Authentication:Schemes:{authenticationScheme}</c> first, then
    /// <paramref name="configure"/> runs; invalid options stop the application at start-up.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme name; defaults to <c>Bearer</c>.</param>
    /// <param name="configure">Configures the options in code.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddBearerJwt(
        this AuthenticationBuilder builder,
        string authenticationScheme = BearerJwtDefaults.AuthenticationScheme,
        Action<BearerJwtOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<BearerJwtOptions>, BearerJwtConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<BearerJwtOptions>, BearerJwtPostConfigureOptions>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BearerJwtOptions>, BearerJwtOptionsValidator>());
        services.AddOptions<BearerJwtOptions>(authenticationScheme).ValidateOnStart();
        services.AddHttpClient();
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new BearerJwtKeyWarmUpService(
            sp.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>(), authenticationScheme));
        return builder.AddScheme<BearerJwtOptions, BearerJwtHandler>(authenticationScheme, displayName: null, configure);
    }
}

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
    /// <param name="configure">
    /// Configures the options in code. A key it creates that the key factories refuse (too weak, wrong algorithm)
    /// stops start-up with an <see cref="OptionsValidationException"/> naming <c>VerificationKeys</c>, as the same
    /// key in configuration does.
    /// </param>
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
        RemoteKeyHttpClient.DisableAutomaticRedirects(services);
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => new BearerJwtKeyWarmUpService(
            sp.GetRequiredService<IOptionsMonitor<BearerJwtOptions>>(), authenticationScheme));
        return builder.AddScheme<BearerJwtOptions, BearerJwtHandler>(authenticationScheme, displayName: null,
            configure is null ? null : options => ConfigureInCode(options, configure));
    }

    /// <summary>
    /// Runs the application's configure delegate, recording a key our factories refuse as a start-up error worded as
    /// for a key from configuration, instead of letting the raw <see cref="ArgumentException"/> escape options creation.
    /// </summary>
    private static void ConfigureInCode(BearerJwtOptions options, Action<BearerJwtOptions> configure)
    {
        try
        {
            configure(options);
        }
        catch (ArgumentException ex) when (KeyRefusal.Reason(ex) is { } reason)
        {
            options.ConfigurationErrors.Add(KeyRefusal.Describe("a key added in code; the configure delegate of AddBearerJwt stopped there", reason));
            options.KeySettingRefused = true;
            options.CodeConfigurationStopped = true;
        }
    }
}

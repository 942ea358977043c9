using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth.Tests.Support;

/// <summary>
/// Validators built from <see cref="BearerJwtOptions"/> exactly as the handler builds its own: the library's
/// post-configure turns the options into <see cref="TokenValidationSettings"/>, options validation refuses what
/// <c>ValidateOnStart</c> would, and the validator is created from the settings.
/// </summary>
internal static class TestValidators
{
    private static readonly ServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    /// <summary>The validator the handler would run with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Start-up would refuse the options; the message lists why.</exception>
    internal static BearerJwtValidator From(BearerJwtOptions options, TimeProvider? time = null) =>
        new(SettingsFrom(options, time));

    /// <summary>The settings the handler would validate with.</summary>
    internal static TokenValidationSettings SettingsFrom(BearerJwtOptions options, TimeProvider? time = null)
    {
        options.TimeProvider = time ?? options.TimeProvider;
        new BearerJwtPostConfigureOptions(NoServices, time ?? TimeProvider.System).PostConfigure(BearerJwtDefaults.AuthenticationScheme, options);
        var result = new BearerJwtOptionsValidator().Validate(BearerJwtDefaults.AuthenticationScheme, options);
        return result.Failed ? throw new ArgumentException(result.FailureMessage, nameof(options)) : options.ValidationSettings!;
    }
}

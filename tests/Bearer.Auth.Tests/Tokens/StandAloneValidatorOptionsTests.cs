using System.Security.Cryptography;
using Bearer.Auth.Tests.Support;

namespace Bearer.Auth.Tests.Tokens;

/// <summary>
/// A validator created without the ASP.NET Core registration refuses settings that would weaken it or refuse every
/// token, naming each setting, exactly as start-up does for the handler's options.
/// </summary>
public sealed class StandAloneValidatorOptionsTests
{
    [Fact]
    public void Clock_skew_over_five_minutes_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new BearerJwtValidator(ValidSettings() with { ClockSkew = TimeSpan.FromDays(365) }));

        Assert.Contains("TokenValidationSettings.ClockSkew", error.Message, StringComparison.Ordinal);
        Assert.Contains("365.00:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_without_keys_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new BearerJwtValidator(ValidSettings() with { KeyResolver = new StaticKeyResolver([]) }));

        Assert.Contains("TokenValidationSettings.KeyResolver has no keys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_without_an_audience_are_refused_while_audiences_are_validated()
    {
        var error = Assert.Throws<ArgumentException>(() => new BearerJwtValidator(ValidSettings() with { ValidAudiences = [] }));

        Assert.Contains("TokenValidationSettings.ValidAudiences is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Handler_only_key_sources_are_not_settings_of_the_stand_alone_validator()
    {
        // What used to be refused at run time (settings only the registration reads) cannot be expressed at all.
        var names = typeof(TokenValidationSettings).GetProperties().Select(p => p.Name);

        Assert.Empty(names.Intersect(["Jwks", "JwksPath", "Authority", "MetadataAddress", "JwksUri", "Authorities", "Events", "Realm"]));
    }

    [Fact]
    public void Valid_settings_create_a_validator()
    {
        Assert.NotNull(new BearerJwtValidator(ValidSettings()));
    }

    private static TokenValidationSettings ValidSettings() => new()
    {
        KeyResolver = new StaticKeyResolver([VerificationKey.Symmetric(RandomNumberGenerator.GetBytes(32))]),
        ValidIssuers = [TestJwt.Issuer],
        ValidAudiences = [TestJwt.Audience],
    };
}
